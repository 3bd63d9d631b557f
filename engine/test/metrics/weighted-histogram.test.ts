import { describe, expect, it } from '@jest/globals';
import { Histogram, Registry } from 'prom-client';
import { latencyFromSummary } from '../../src/metrics/latency-summary.js';
import { WeightedHistogram } from '../../src/metrics/weighted-histogram.js';

const BUCKETS = [0.01, 0.1, 1];

describe('WeightedHistogram', () => {
  it('exposes exactly what prom-client Histogram exposes for the same observations', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const w = new WeightedHistogram({ name: 'x_seconds', help: 'h', labelNames: ['a', 'b'], buckets: BUCKETS, registry: ours });
    const h = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['a', 'b'], buckets: BUCKETS, registers: [theirs] });
    // Bounds are inclusive (le), including values exactly on a bound and beyond the last one.
    const values = [0.005, 0.01, 0.010001, 0.1, 0.5, 1, 3, 0];
    for (const v of values) {
      w.observe({ a: '1', b: 'x' }, v);
      h.observe({ a: '1', b: 'x' }, v);
    }
    w.observe({ a: '2', b: 'y"\\' }, 0.05, 3);
    for (let i = 0; i < 3; i++) h.observe({ a: '2', b: 'y"\\' }, 0.05);
    const text = await theirs.metrics();
    expect(await ours.metrics()).toBe(text);
    // The fast writer prints the same bytes (Registry.metrics() ends with one newline).
    expect(`${w.exposition()}\n`).toBe(text);
  });

  it('prints an unlabelled histogram and escapes HELP like prom-client', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const w = new WeightedHistogram({ name: 'u_seconds', help: 'a \\ b\nc', labelNames: [], buckets: BUCKETS, registry: ours });
    const h = new Histogram({ name: 'u_seconds', help: 'a \\ b\nc', buckets: BUCKETS, registers: [theirs] });
    w.observe({}, 0.5, 2);
    h.observe(0.5);
    h.observe(0.5);
    expect(`${w.exposition()}\n`).toBe(await theirs.metrics());
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('counts a weighted value like that many observations', async () => {
    const r = new Registry();
    const w = new WeightedHistogram({ name: 'y_seconds', help: 'h', labelNames: ['p'], buckets: BUCKETS, registry: r });
    w.observe({ p: 'a' }, 0.2, 1000);
    w.observe({ p: 'a' }, 0.2, 0);
    const text = await r.metrics();
    expect(text).toContain('y_seconds_bucket{le="0.1",p="a"} 0\ny_seconds_bucket{le="1",p="a"} 1000\ny_seconds_bucket{le="+Inf",p="a"} 1000');
    expect(text).toContain('y_seconds_sum{p="a"} 200\ny_seconds_count{p="a"} 1000');
  });

  it('creates no series for a zero count, zeroes and removes label sets', async () => {
    const r = new Registry();
    const w = new WeightedHistogram({ name: 'z_seconds', help: 'h', labelNames: ['p'], buckets: [1], registry: r });
    w.observe({ p: 'a' }, 0.5, 0);
    expect(await r.metrics()).toBe('# HELP z_seconds h\n# TYPE z_seconds histogram\n');
    w.zero({ p: 'b' });
    expect(await r.metrics()).toContain('z_seconds_count{p="b"} 0');
    w.remove({ p: 'b' });
    expect(await r.metrics()).not.toContain('p="b"');
  });

  it('gives handles that observe like observe() and survive a remove', async () => {
    const r = new Registry();
    const w = new WeightedHistogram({ name: 'c_seconds', help: 'h', labelNames: ['p'], buckets: [1], registry: r });
    const child = w.child({ p: 'a' });
    child.observe(0.5, 2);
    w.observe({ p: 'a' }, 2);
    expect(await r.metrics()).toContain('c_seconds_bucket{le="1",p="a"} 2\nc_seconds_bucket{le="+Inf",p="a"} 3');
    w.remove({ p: 'a' });
    expect(await r.metrics()).not.toContain('p="a"');
    child.observe(0.5);
    expect(await r.metrics()).toContain('c_seconds_count{p="a"} 1');
    w.reset();
    child.observe(3);
    expect(await r.metrics()).toContain('c_seconds_bucket{le="1",p="a"} 0\nc_seconds_bucket{le="+Inf",p="a"} 1');
    expect(() => w.child({} as { p: string })).toThrow(/label "p"/);
  });

  it('rejects what Prometheus could not represent', () => {
    const r = new Registry();
    expect(() => new WeightedHistogram({ name: 'a', help: 'h', labelNames: ['le'], buckets: [1], registry: r })).toThrow(/reserved/);
    expect(() => new WeightedHistogram({ name: 'b', help: 'h', labelNames: [], buckets: [1, 1], registry: r })).toThrow(/increase/);
    expect(() => new WeightedHistogram({ name: 'c', help: '', labelNames: [], buckets: [1], registry: r })).toThrow(/HELP/);
    const w = new WeightedHistogram({ name: 'd', help: 'h', labelNames: ['p'], buckets: [1], registry: r });
    expect(() => w.observe({ p: 'a' }, Number.NaN)).toThrow(RangeError);
    expect(() => w.observe({ p: 'a' }, 1, -1)).toThrow(RangeError);
    expect(() => w.observe({} as { p: string }, 1)).toThrow(/label "p"/);
  });
});

describe('latencyFromSummary', () => {
  it('puts the larger half at p50 and the rest at p99', () => {
    expect(latencyFromSummary(11, 0.002, 0.3)).toEqual([
      [0.002, 6],
      [0.3, 5],
    ]);
    expect(latencyFromSummary(1, 0.002, 0.002)).toEqual([[0.002, 1]]);
  });

  it('yields nothing for an empty window or a broken summary, and never inverts the quantiles', () => {
    expect(latencyFromSummary(0, 0.1, 0.2)).toEqual([]);
    expect(latencyFromSummary(4, Number.NaN, 0.2)).toEqual([]);
    expect(latencyFromSummary(4, 0.5, 0.2)).toEqual([
      [0.5, 2],
      [0.5, 2],
    ]);
  });
});
