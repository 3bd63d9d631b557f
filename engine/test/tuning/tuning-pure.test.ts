import { describe, expect, it } from '@jest/globals';
import { parseTestSpec } from '../../src/spec/validate.js';
import { candidates, settingId, speedWeights, type Setting } from '../../src/tuning/candidates.js';
import { fitPods, sigmaFrom, speedsOf, Z99 } from '../../src/tuning/fit-model.js';
import { specWithSetting } from '../../src/tuning/verify.js';
import { compareScores, feasibility, isBetter, objectiveFor, type Score } from '../../src/analysis/objective.js';
import { planFor, recommend } from '../../src/tuning/recommend.js';

/** Values by pod name, pod-1 first. */
const named = (v: number[]) => Object.fromEntries(v.map((x, i) => [`pod-${i + 1}`, x]));

const score = (balance: number, p99Ms: number, errorRate = 0): Score => ({ balance, balanceKind: 'utilisation', countScore: 1, utilisation: balance, p50Ms: p99Ms / 5, p99Ms, errorRate, requests: 1000 });
const rr: Setting = { policy: 'round-robin', policyOptions: {}, mode: 'l7', requestsPerConnection: 0 };

describe('objective', () => {
  const o = objectiveFor(undefined);
  it('defaults: relative p99 limit 1.1x + 5 ms, error rate 1%', () => {
    // current p99 100 ms: limit 115 ms
    expect(feasibility(score(1, 115), o, 100).feasible).toBe(true);
    expect(feasibility(score(1, 116), o, 100)).toEqual({ feasible: false, violations: ['p99'], excess: expect.closeTo(1 / 115, 9) });
    expect(feasibility(score(1, 10, 0.02), o, 100).violations).toEqual(['errorRate']);
  });
  it("takes the spec's thresholds, and the caller's overrides over them", () => {
    const spec = parseTestSpec({ thresholds: { p99: '200ms', errorRate: 0.05 } });
    expect(objectiveFor(spec)).toMatchObject({ p99LimitMs: 200, errorRateLimit: 0.05 });
    expect(objectiveFor(spec, { p99LimitMs: 50 })).toMatchObject({ p99LimitMs: 50, errorRateLimit: 0.05 });
  });
  it('ranks feasible first, then balance, then (within the tie tolerance) lower p99', () => {
    const list = [score(0.99, 300), score(0.9, 50), score(0.995, 80), score(1, 10, 0.5)];
    const sorted = [...list].sort((a, b) => compareScores(a, b, o, 100));
    expect(sorted).toEqual([list[2], list[1], list[3], list[0]].sort((a, b) => compareScores(a, b, o, 100)));
    expect(sorted[0]).toBe(list[2]); // 0.995 and 0.99 tie on balance (0.01): 80 ms beats 300 ms (infeasible anyway)
    expect(sorted.at(-1)).toBe(list[3]); // 50% errors: furthest over a limit
  });
  it('isBetter needs a clear win: a balance tie with < 5% lower p99 is not better', () => {
    expect(isBetter(score(0.96, 96), score(0.955, 100), o, 100)).toBe(false);
    expect(isBetter(score(0.96, 90), score(0.955, 100), o, 100)).toBe(true);
    expect(isBetter(score(0.99, 100), score(0.7, 100), o, 100)).toBe(true);
  });
});

describe('candidates', () => {
  it('L7: 10 policy settings (WRR only with unequal speeds), the current one marked, all live', () => {
    const c = candidates({ current: rr, podSpeeds: named([1, 1, 0.2, 1, 1]), keepAlive: true });
    expect(c.map((x) => x.id)).toEqual([
      'l7 round-robin',
      'l7 random',
      'l7 least-connections',
      'l7 power-of-two d=2',
      'l7 power-of-two d=3',
      'l7 peak-ewma d=2 decay=1s',
      'l7 peak-ewma d=2 decay=10s',
      'l7 peak-ewma d=3 decay=1s',
      'l7 peak-ewma d=3 decay=10s',
      'l7 weighted-round-robin w=pod-1:100,pod-2:100,pod-3:20,pod-4:100,pod-5:100',
    ]);
    expect(c.filter((x) => x.current).map((x) => x.id)).toEqual(['l7 round-robin']);
    expect(c.every((x) => x.apply === 'live')).toBe(true);
    expect(candidates({ current: rr, podSpeeds: named([1, 1, 0.95]), keepAlive: true })).toHaveLength(9);
  });
  it('L4 keep-alive: L4, L7 (mode change) and L4 with recycling (client change) are recommend-only', () => {
    const c = candidates({ current: { ...rr, mode: 'l4' }, podSpeeds: named([1, 1, 1]), keepAlive: true, recycleAfter: 20 });
    expect(c).toHaveLength(27);
    const l7 = c.find((x) => x.id === 'l7 least-connections')!;
    expect(l7).toMatchObject({ apply: 'recommend-only', current: false });
    expect(l7.reason).toMatch(/L7 mode/);
    expect(c.find((x) => x.id === 'l4 round-robin recycle=20')!.reason).toMatch(/recycle connections after 20/);
    expect(c.find((x) => x.id === 'l4 power-of-two d=3')!.apply).toBe('live');
  });
  it('keeps a current setting outside the grid (consistent-hash)', () => {
    const cur: Setting = { ...rr, policy: 'consistent-hash', policyOptions: { hashAlgorithm: 'maglev' } };
    expect(candidates({ current: cur, podSpeeds: named([1, 1]), keepAlive: true }).filter((x) => x.current).map((x) => settingId(x))).toEqual(['l7 consistent-hash maglev']);
  });
  it('speed weights: fastest 100, at least 1, none when speeds are equal within 10%', () => {
    expect(speedWeights(named([1, 0.5, 0.001]))).toEqual(named([100, 50, 1]));
    expect(speedWeights(named([1, 0.95]))).toBeUndefined();
    expect(speedWeights({})).toBeUndefined();
  });
});

describe('fit-model', () => {
  it('lognormal sigma from p50/p99: exp(mu + z99 sigma) / exp(mu)', () => {
    expect(sigmaFrom(10, 10 * Math.exp(Z99 * 0.5))).toBeCloseTo(0.5, 9);
    expect(sigmaFrom(10, 5)).toBe(0);
  });
  it('mean from busy time when known, else p50 e^(sigma^2/2); idle pods get the request-weighted typical pod', () => {
    const p99 = 10 * Math.exp(Z99 * 0.5);
    const m = fitPods([
      { name: 'pod-1', requests: 100, errors: 5, p50Ms: 10, p99Ms: p99, busyMs: 2000, concurrency: 8 },
      { name: 'pod-2', requests: 300, errors: 0, p50Ms: 10, p99Ms: p99 },
      { name: 'pod-3', requests: 0, errors: 0, p50Ms: 0, p99Ms: 0 },
    ], () => 64);
    expect(m.pods[0]).toMatchObject({ meanMs: 20, sigma: 0.5, concurrency: 8, errorRate: 0.05, source: 'busy-time' });
    const latencyMean = 10 * Math.exp(0.125); // 11.331
    expect(m.pods[1]).toMatchObject({ sigma: 0.5, concurrency: 64, errorRate: 0, source: 'latency' });
    expect(m.pods[1].meanMs).toBeCloseTo(latencyMean, 3);
    expect(m.pods[2].source).toBe('typical');
    expect(m.pods[2].meanMs).toBeCloseTo((20 * 100 + latencyMean * 300) / 400, 2);
    expect(m.pods[2].errorRate).toBeCloseTo(0.0125, 6);
  });
});

describe('recommend (simulated models)', () => {
  const obs = (slow: number) => [1, 2, 3, 4, 5].map((i) => ({ name: `pod-${i}`, requests: 1000, errors: 0, p50Ms: 7, p99Ms: 46, busyMs: i === 3 ? 10_000 * slow : 10_000 }));

  it('one pod 5x slower under round-robin: a latency/in-flight-aware policy ranks first and predicts a lower p99', () => {
    const spec = parseTestSpec({ seed: 5, target: { kind: 'lab', pods: 5, policy: 'round-robin' }, load: { model: 'closed', users: 30, spawnRate: 100, duration: '4s' } });
    const r = recommend(spec, fitPods(obs(5)), { maxSimMs: 5_000, minSimMs: 5_000 });
    expect(['least-connections', 'power-of-two', 'peak-ewma', 'weighted-round-robin']).toContain(r.best.candidate.policy);
    expect(r.current.candidate.id).toBe('l7 round-robin');
    expect(r.best.predicted.balance).toBeGreaterThanOrEqual(0.95);
    expect(r.best.predicted.p99Ms).toBeLessThanOrEqual(0.7 * r.current.predicted.p99Ms);
    expect(r.simulatedRequests).toBeLessThanOrEqual(10 * 200_000);
  });

  it('weights follow pods by name, never by position: a pod missing from the fit does not shift them', () => {
    // pod-2 was down while the model was fitted (no observations); pod-3 is five times slower
    const model = fitPods(obs(5).filter((o) => o.name !== 'pod-2'));
    const wrr = candidates({ current: rr, podSpeeds: speedsOf(model), keepAlive: true }).find((c) => c.policy === 'weighted-round-robin')!;
    expect(wrr.weights).toEqual({ 'pod-1': 100, 'pod-3': 20, 'pod-4': 100, 'pod-5': 100 });
    const spec = parseTestSpec({ seed: 5, target: { kind: 'lab', pods: 5, policy: 'round-robin' }, load: { model: 'closed', users: 30, spawnRate: 100, duration: '4s' } });
    // the spec a verification runs, and the plan a prediction simulates, weigh pod-3 down, and
    // pod-2 (speed unknown) as a full pod
    expect(specWithSetting(spec, wrr).target).toMatchObject({ weights: [100, 100, 20, 100, 100] });
    expect(planFor(spec, model, wrr).pods.map((p) => [p.name, p.weight])).toEqual([['pod-1', 100], ['pod-2', 100], ['pod-3', 20], ['pod-4', 100], ['pod-5', 100]]);
  });

  it('L4 keep-alive with 2 connections: L7 or recycling ranks first', () => {
    const spec = parseTestSpec({ seed: 3, target: { kind: 'lab', pods: 5, mode: 'l4' }, load: { model: 'open', stages: [{ rate: 200, duration: '3s' }] }, connections: { keepAlive: true, maxConnections: 2 } });
    const r = recommend(spec, fitPods(obs(1)));
    expect(r.best.candidate.mode === 'l7' || r.best.candidate.requestsPerConnection > 0).toBe(true);
    expect(r.best.candidate.apply).toBe('recommend-only');
    expect(r.current.predicted.balance).toBeLessThan(0.6);
  });
});
