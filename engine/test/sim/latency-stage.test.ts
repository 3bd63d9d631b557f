import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/random.js';
import { newHistogram } from '../../src/load/histogram.js';
import { index2, index3, LatencyStage } from '../../src/sim/latency-stage.js';

const PERCENTILES = [0, 1, 10, 50, 90, 99, 99.9, 100];

/** Log-uniform integer microseconds from 0 to about 10^9 (17 minutes), every bucket size. */
function values(n: number, seed: number): number[] {
  const rng = seededRandom(seed);
  return Array.from({ length: n }, () => Math.floor(Math.exp(rng.next() * Math.log(1e9))) - 1);
}

describe('LatencyStage (hdr-histogram layout, integer index)', () => {
  it('3 digits: replaying the stage gives exactly the histogram of recording every value into hdr', () => {
    const stage = new LatencyStage(3);
    const direct = newHistogram();
    for (const v of values(200_000, 1)) {
      stage.record(v);
      direct.recordValue(v);
    }
    const replayed = newHistogram();
    stage.addTo(replayed);
    expect(replayed.totalCount).toBe(direct.totalCount);
    for (const p of PERCENTILES) expect(replayed.getValueAtPercentile(p)).toBe(direct.getValueAtPercentile(p));
    // ... and reading a percentile off the stage follows hdr's rule exactly
    for (const p of PERCENTILES.slice(1)) expect(stage.percentile(p)).toBe(direct.getValueAtPercentile(p));
    for (const n of [1, 2, 3, 7, 100, 101]) {
      const small = new LatencyStage(3);
      const h = newHistogram();
      for (const v of values(n, n)) {
        small.record(v);
        h.recordValue(v);
      }
      for (const p of [1, 50, 99, 99.9, 100]) expect(small.percentile(p)).toBe(h.getValueAtPercentile(p));
    }
    expect(new LatencyStage(3).percentile(50)).toBe(0);
  });

  it('2 digits: every percentile within 1% of the exact value', () => {
    const stage = new LatencyStage(2);
    const direct = newHistogram();
    for (const v of values(100_000, 2)) {
      stage.record(v);
      direct.recordValue(v);
    }
    const replayed = newHistogram();
    stage.addTo(replayed);
    expect(replayed.totalCount).toBe(direct.totalCount);
    for (const p of PERCENTILES.slice(1)) {
      const want = direct.getValueAtPercentile(p);
      expect(Math.abs(replayed.getValueAtPercentile(p) - want)).toBeLessThanOrEqual(Math.max(1, 0.01 * want));
    }
  });

  it('moveInto adds the counts and empties the source; fractions truncate; huge values clamp', () => {
    const a = new LatencyStage(3);
    const b = new LatencyStage(3);
    a.record(10.9);
    a.record(5_000_000);
    b.record(10);
    a.moveInto(b);
    const hb = newHistogram();
    b.addTo(hb);
    expect(hb.totalCount).toBe(3);
    expect(hb.getValueAtPercentile(50)).toBe(10);
    const ha = newHistogram();
    a.addTo(ha);
    expect(ha.totalCount).toBe(0);
    const c = new LatencyStage(3);
    c.record(1e12);
    const hc = newHistogram();
    c.addTo(hc);
    expect(hc.getValueAtPercentile(100)).toBeGreaterThan(2 ** 30);
  });

  it('index3 / index2 (the hot path) put every value where record() does', () => {
    const byRecord3 = new LatencyStage(3);
    const byIndex3 = new LatencyStage(3);
    const byRecord2 = new LatencyStage(2);
    const byIndex2 = new LatencyStage(2);
    for (const v of [...values(50_000, 4), 0, 1, 255, 256, 2047, 2048, 2 ** 31 - 1]) {
      byRecord3.record(v);
      byIndex3.add(index3(v));
      byRecord2.record(v);
      byIndex2.add(index2(v));
    }
    for (const p of PERCENTILES.slice(1)) {
      expect(byIndex3.percentile(p)).toBe(byRecord3.percentile(p));
      expect(byIndex2.percentile(p)).toBe(byRecord2.percentile(p));
    }
  });
});
