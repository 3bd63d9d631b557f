import { describe, expect, it } from '@jest/globals';
import { podOf, relErr, sim } from './helpers.js';

/** Requests pod `name` answered in the timeline windows ending in (from, to] seconds. */
function servedBetween(r: ReturnType<typeof sim>['result'], name: string, from: number, to: number): number {
  return r.timeline.filter((w) => w.t > from && w.t <= to).reduce((a, w) => a + (w.pods[name] ?? 0), 0);
}

describe('arrivals', () => {
  it('poisson at a rate: the count over a duration is within 2% of rate x duration', () => {
    const r = sim({ pods: 10, podConcurrency: 4, load: { model: 'open', rate: 2000 }, duration: '30s' }).result;
    expect(relErr(r.totals.requests, 60_000)).toBeLessThan(0.02);
    // one window per virtual second, plus a short last one while the requests in flight drain
    expect(r.timeline.slice(0, 30).map((w) => w.t)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(r.timeline.length).toBeLessThanOrEqual(31);
    expect(r.timeline.at(-1)!.t).toBeLessThan(30.5);
  });

  it('constant stages follow the live schedule exactly; poisson stages (time-changed, with a ramp) on average', () => {
    const stages = [{ rate: 100, duration: '2s' }, { rate: 500, duration: '2s', ramp: true }, { rate: 0, duration: '1s' }];
    const c = sim({ pods: 10, podConcurrency: 8, load: { model: 'open', arrival: 'constant', stages } }).result;
    expect(c.totals.requests).toBe(200 + 600);
    // windows count answers; arrivals every 10 ms answered within a few ms: 100 a second, ± the edges
    for (const w of c.timeline.slice(0, 2)) expect(Math.abs(w.requests - 100)).toBeLessThanOrEqual(3);
    const p = sim({ pods: 20, podConcurrency: 8, load: { model: 'open', stages: stages.map((s) => ({ ...s, rate: s.rate * 20 })) }, seed: 3 }).result;
    expect(relErr(p.totals.requests, 16_000)).toBeLessThan(0.03);
    expect(p.timeline[4].requests).toBeLessThan(200); // the 0/s stage: only the ~100 in flight at 4 s
  });

  it('bursty on/off: the mean rate holds, windows alternate between bursts and silence', () => {
    const r = sim({ pods: 20, podConcurrency: 4, serviceTime: 'exp:1ms', load: { model: 'open', arrival: 'bursty', rate: 1000, burst: { on: '1s', off: '1s' } }, duration: '20s' }).result;
    expect(relErr(r.totals.requests, 20_000)).toBeLessThan(0.03);
    const counts = r.timeline.map((w) => w.requests);
    for (let i = 0; i < 20; i += 2) {
      expect(counts[i]).toBeGreaterThan(1700); // on: 2000/s
      expect(counts[i + 1]).toBeLessThan(50); // off
    }
  });

  it('closed model obeys Little\'s law: users = throughput x (response time + think time)', () => {
    const r = sim({ pods: 4, podConcurrency: 2, serviceTime: 'exp:10ms', load: { model: 'closed', users: 20, spawnRate: 1000, thinkTime: 'exp:50ms' }, duration: '60s', seed: 2 }).result;
    const x = r.totals.requests / 60;
    expect(relErr(x * (r.latency.mean + 0.05), 20)).toBeLessThan(0.03);
    expect(r.timeline.at(-1)!.users).toBe(0);
    expect(r.timeline[10].users).toBe(20);
  });
});

describe('pods', () => {
  it('errorRate: the pod answers that fraction with its error status', () => {
    const r = sim({ pods: 4, podConcurrency: 4, podBehaviour: [{ pods: ['pod-2'], errorRate: 0.2, errorStatus: 503 }], load: { model: 'open', load: 0.5 }, requests: 40_000 }).result;
    const pod2 = podOf(r, 'pod-2');
    expect(Math.abs(pod2.errors / pod2.requests - 0.2)).toBeLessThan(0.02);
    expect(r.statusCodes['503']).toBe(pod2.errors);
    expect(r.errorsByKind.status).toBe(r.totals.errors);
    expect(r.statusCodes['200'] + r.statusCodes['503']).toBe(r.totals.requests);
  });

  it('a failure resets what the pod held, takes it out of rotation, and it rejoins when it recovers', () => {
    const r = sim({ policy: 'round-robin', pods: 4, podConcurrency: 2, load: { model: 'open', load: 0.7 }, duration: '12s', events: [{ type: 'fail', at: '4s', pods: ['pod-2'] }, { type: 'recover', at: '8s', pods: ['pod-2'] }] }).result;
    expect(r.errorsByKind.reset).toBeGreaterThan(0);
    expect(servedBetween(r, 'pod-2', 4.001, 8)).toBe(0);
    expect(servedBetween(r, 'pod-2', 8, 12)).toBeGreaterThan(500);
    // judged on the time it was in rotation: a quarter of the traffic of 8 of the 12 seconds
    expect(podOf(r, 'pod-2').expectedShare).toBeCloseTo((8 * 0.25) / 12, 2);
    expect(r.balance.verdict).toBe('balanced');
  });

  it('scaling up adds pods to rotation; scaling down drains them without errors', () => {
    const r = sim({ policy: 'least-connections', pods: 4, podConcurrency: 2, load: { model: 'open', rate: 300 }, duration: '15s', events: [{ type: 'scale', at: '5s', to: 8 }, { type: 'scale', at: '10s', to: 4 }] }).result;
    expect(r.pods.map((p) => p.name)).toEqual(['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5', 'pod-6', 'pod-7', 'pod-8']);
    expect(servedBetween(r, 'pod-6', 0, 5)).toBe(0);
    expect(servedBetween(r, 'pod-6', 5, 10)).toBeGreaterThan(100);
    expect(servedBetween(r, 'pod-6', 10.001, 15)).toBe(0);
    expect(r.totals.errors).toBe(0);
    expect(podOf(r, 'pod-6').expectedShare).toBeLessThan(podOf(r, 'pod-1').expectedShare);
  });

  it('warm-up: a recovered pod serves slowly at first, then at full speed', () => {
    const base = { policy: 'round-robin' as const, pods: 2, podConcurrency: 4, serviceTime: 'fixed:10ms', load: { model: 'open' as const, rate: 100 }, duration: '20s', events: [{ type: 'fail' as const, at: '5s', pods: ['pod-2'] }, { type: 'recover' as const, at: '10s', pods: ['pod-2'] }] };
    const cold = sim({ ...base, warmup: { duration: '5s', factor: 5 } }).result;
    const warm = sim(base).result;
    const p99At = (r: typeof cold, t: number) => r.timeline.find((w) => w.t === t)!.latency.p99;
    expect(p99At(warm, 11)).toBeCloseTo(0.01, 3);
    expect(p99At(cold, 11)).toBeGreaterThan(0.035); // about 5x at first (4.2x at 11 s)
    expect(p99At(cold, 20)).toBeCloseTo(0.01, 3);
  });

  it('heterogeneous speeds: a pod at speed 0.5 is busy twice as long per request', () => {
    const r = sim({ policy: 'round-robin', pods: 2, podConcurrency: 4, serviceTime: 'fixed:10ms', podBehaviour: [{ pods: ['pod-2'], speed: 0.5 }], load: { model: 'open', rate: 100 }, duration: '10s' }).result;
    expect(podOf(r, 'pod-2').utilisation! / podOf(r, 'pod-1').utilisation!).toBeCloseTo(2, 2);
    expect(podOf(r, 'pod-2').latency.p50).toBeCloseTo(0.02, 3);
  });
});

describe('balancers and connections', () => {
  it('independent balancer instances: 8 least-connections replicas each see 1/8 of the load and do worse than one', () => {
    const base = { policy: 'least-connections' as const, pods: 20, podConcurrency: 1, serviceTime: 'exp:10ms', load: { model: 'open' as const, load: 0.9 }, requests: 100_000, seed: 5 };
    const one = sim(base).result;
    const eight = sim({ ...base, balancers: 8, spread: 'random' }).result;
    expect(eight.latency.mean).toBeGreaterThan(1.5 * one.latency.mean);
  });

  it('L4 connection recycling (requests per connection) spreads keep-alive traffic again', () => {
    const base = { policy: 'round-robin' as const, mode: 'l4' as const, pods: 5, serviceTime: 'exp:2ms', podConcurrency: 64, load: { model: 'open' as const, arrival: 'constant' as const, rate: 200 }, duration: '10s' };
    const pinned = sim({ ...base, connections: { maxConnections: 2 } }).result;
    expect(pinned.pods.filter((p) => p.requests === 0)).toHaveLength(3);
    const recycled = sim({ ...base, connections: { maxConnections: 2, requestsPerConnection: 10 } }).result;
    expect(recycled.pods.every((p) => p.requests > 200)).toBe(true);
    expect(recycled.balance.verdict).toBe('balanced');
  });

  it('L4 keep-alive below saturation: every open connection carries traffic (idle ones are reused in turn)', () => {
    // A burst opens 4 connections (one per pod under round-robin), then a light load needs one at a
    // time: reused in turn, all 4 stay in use (a most-recently-used stack sends nearly all to one pod)
    const stages = [{ rate: 2000, duration: '200ms' }, { rate: 50, duration: '10s' }];
    const r = sim({ policy: 'round-robin', mode: 'l4', pods: 4, podConcurrency: 64, serviceTime: 'fixed:4ms', load: { model: 'open', arrival: 'constant', stages }, connections: { maxConnections: 4 } }).result;
    for (const p of r.pods) expect(servedBetween(r, p.name, 1, 10)).toBeGreaterThan(0.2 * 450);
  });

  it('weighted-round-robin follows its weights exactly, and is judged against expected capacity', () => {
    const r = sim({ policy: 'weighted-round-robin', pods: 2, podConcurrency: 8, weights: [3, 1], load: { model: 'open', rate: 400 }, requests: 4000 }).result;
    expect(r.pods.map((p) => p.requests)).toEqual([3000, 1000]);
    expect(r.balance.verdict).toBe('imbalanced');
    const fair = sim({ policy: 'weighted-round-robin', pods: 2, podConcurrency: 8, weights: [3, 1], expect: { capacity: [3, 1] }, load: { model: 'open', rate: 400 }, requests: 4000 }).result;
    expect(fair.balance.verdict).toBe('balanced');
  });

  it('consistent-hash keys requests by client: a closed-model user always lands on the same pod', () => {
    const r = sim({ policy: 'consistent-hash', pods: 5, podConcurrency: 8, load: { model: 'closed', users: 3, thinkTime: 'fixed:10ms' }, duration: '5s' }).result;
    expect(r.pods.filter((p) => p.requests > 0).length).toBeLessThanOrEqual(3);
  });

  it('closed users with no more users than connections each keep a connection of their own (as the live load generator)', () => {
    // L4 round-robin places each connection: 10 users with think time on their own connections
    // reach all 10 pods; a shared pool would have only the few connections in use at once
    const r = sim({ policy: 'round-robin', mode: 'l4', pods: 10, podConcurrency: 8, serviceTime: 'exp:5ms', load: { model: 'closed', users: 10, thinkTime: 'exp:50ms' }, connections: { maxConnections: 64 }, duration: '5s' }).result;
    expect(r.pods.filter((p) => p.requests > 0)).toHaveLength(10);
    for (const p of r.pods) expect(Math.abs(p.share - 0.1)).toBeLessThan(0.03);
  });

  it('consistent-hash honours its key source: a path key without described requests draws distinct paths; the client key uses the live clients', () => {
    const byPath = sim({ policy: 'consistent-hash', policyOptions: { hashKey: 'path' }, pods: 5, podConcurrency: 8, load: { model: 'open', rate: 400 }, requests: 4000, hashKeys: 2 }).result;
    // two distinct paths: at most two pods
    expect(byPath.pods.filter((p) => p.requests > 0).length).toBeLessThanOrEqual(2);
    const byClient = sim({ policy: 'consistent-hash', pods: 5, podConcurrency: 8, load: { model: 'open', rate: 400 }, requests: 4000, hashKeys: 1000 }).result;
    expect(byClient.pods.filter((p) => p.requests > 0)).toHaveLength(5);
  });

  it('overload: maxInflight drops arrivals; a timeout fails requests that waited too long', () => {
    const r = sim({ pods: 2, podConcurrency: 1, serviceTime: 'fixed:10ms', load: { model: 'open', rate: 400 }, duration: '5s', maxInflight: 50, timeout: '200ms' }).result;
    expect(r.totals.dropped).toBeGreaterThan(500);
    expect(r.errorsByKind.timeout).toBeGreaterThan(0);
    expect(r.latency.max).toBeLessThanOrEqual(0.2 + 0.011);
  });

  it('dropped arrivals count against the error-rate threshold, not only as "dropped N"', () => {
    // 2 pods x 1 slot x 10 ms = 200/s of capacity, offered 400/s without a timeout: half is dropped
    const r = sim({ pods: 2, podConcurrency: 1, serviceTime: 'fixed:10ms', load: { model: 'open', rate: 400 }, duration: '5s', maxInflight: 50, thresholds: { errorRate: 0.01 } }).result;
    expect(r.totals.errors).toBe(0);
    expect(r.totals.dropped).toBeGreaterThan(500);
    expect(r.totals.errorRate).toBeCloseTo(r.totals.dropped / (r.totals.requests + r.totals.dropped), 12);
    expect(r.thresholds.find((t) => t.name === 'errorRate')).toMatchObject({ pass: false });
  });

  it('no pod in rotation: requests fail as connect errors, and a closed user retries after a pause instead of spinning', () => {
    const r = sim({ pods: 2, load: { model: 'closed', users: 2 }, duration: '2s', events: [{ type: 'fail', at: '0ms', pods: ['pod-1', 'pod-2'] }] }).result;
    expect(r.errorsByKind.connect).toBeGreaterThan(1000);
    expect(r.errorsByKind.connect).toBeLessThanOrEqual(2 * 2000 + 2);
  });
});
