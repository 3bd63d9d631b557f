import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/random.js';
import { index2, LatencyStage } from '../../src/sim/latency-stage.js';
import { PodLatencies } from '../../src/sim/pod-latencies.js';

const PERCENTILES = [1, 10, 50, 90, 99, 99.9, 100];

describe('PodLatencies (byte counters carried every 256, one stride for all pods)', () => {
  it('each pod reads back exactly what one LatencyStage(2) per pod records, past 256 per bucket and after widening', () => {
    const pods = 3;
    const flat = new PodLatencies(pods);
    const stages = Array.from({ length: pods }, () => new LatencyStage(2));
    const rng = seededRandom(8);
    const record = (p: number, us: number): void => {
      flat.add(p, index2(us));
      stages[p].add(index2(us));
    };
    // Many equal values (one bucket past several carries), then a spread that widens the rows
    // (up to about 17 minutes) while earlier counts must survive the copy.
    for (let k = 0; k < 1000; k++) record(k % pods, 1500);
    for (let k = 0; k < 30_000; k++) record(Math.floor(rng.next() * pods), Math.floor(Math.exp(rng.next() * Math.log(1e9))));
    for (let k = 0; k < 700; k++) record(1, 40);
    for (let p = 0; p < pods; p++) {
      const got = flat.stageOf(p);
      expect(got.count).toBe(stages[p].count);
      for (const q of PERCENTILES) expect(got.percentile(q)).toBe(stages[p].percentile(q));
    }
  });
});
