import { describe, expect, it } from '@jest/globals';
import { podOf, simSpec } from './helpers.js';

/**
 * The foundation issue's live acceptance cases (test/acceptance/balance-scenarios.test.ts),
 * simulated from the very same TestSpecs without sockets: the verdicts must come out the same,
 * and the shares within the tolerances stated per case.
 */
const lab = (extra: Record<string, unknown>) => ({ kind: 'lab' as const, pods: 5, podBehaviour: [{ latency: 'exp:2ms' }], ...extra });

describe('simulation vs the live acceptance cases', () => {
  it('L4 + keep-alive + 2 connections: imbalanced with 3 pods at 0; without keep-alive: balanced', () => {
    const l4 = lab({ policy: 'round-robin', mode: 'l4' });
    const load = { model: 'open' as const, stages: [{ rate: 200, duration: '3s' }] };
    const kept = simSpec({ name: 'l4-ka', target: l4, load, connections: { keepAlive: true, maxConnections: 2 } }).result;
    expect(kept.balance.verdict).toBe('imbalanced');
    expect(kept.pods.filter((p) => p.requests === 0)).toHaveLength(3);
    // The two pinned pods carry everything (shares of the others exactly 0).
    expect(kept.pods.filter((p) => p.requests > 0).reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 12);
    expect(kept.thresholds.find((t) => t.name === 'balance')?.pass).toBe(false);
    const fresh = simSpec({ name: 'l4-no-ka', target: l4, load, connections: { keepAlive: false, maxConnections: 2 } }).result;
    expect(fresh.balance.verdict).toBe('balanced');
    expect(fresh.pods.every((p) => p.requests > 0)).toBe(true);
    // A new connection per request under round-robin: each pod within 1% of a fifth.
    for (const p of fresh.pods) expect(Math.abs(p.share - 0.2)).toBeLessThanOrEqual(0.01 * 0.2);
    expect(fresh.totals.requests).toBe(600);
  });

  const slow = (policy: string) => ({
    name: `slow-${policy}`,
    seed: 5,
    target: lab({ policy, podBehaviour: [{ latency: 'exp:4ms' }, { pods: ['pod-3'], latency: 'exp:20ms' }] }),
    load: { model: 'closed' as const, users: 30, spawnRate: 100, duration: '4s' },
  });

  it('one pod 5x slower, round-robin: even by requests (each pod within 1% of a fifth), imbalanced by work (pod-3 hot)', () => {
    const r = simSpec(slow('round-robin')).result;
    expect(r.balance.basis).toBe('utilisation');
    expect(r.balance.verdict).toBe('imbalanced');
    expect(r.balance.requestScore).toBeGreaterThan(0.99);
    for (const p of r.pods) expect(Math.abs(p.share - 0.2)).toBeLessThanOrEqual(0.01 * 0.2);
    const pod3 = podOf(r, 'pod-3');
    const others = r.pods.filter((p) => p.name !== 'pod-3');
    // Busy about 5x as long as the others: at least 3x, as the live test states (4x here).
    for (const o of others) expect(pod3.utilisation!).toBeGreaterThan(4 * o.utilisation!);
    expect(r.balance.utilisation!).toBeLessThan(0.8);
    expect(r.balance.score).toBe(r.balance.utilisation);
  });

  it.each(['least-connections', 'power-of-two', 'peak-ewma'])('one pod 5x slower, %s: pod-3 gets less than its fifth (< 16%), every other pod more', (policy) => {
    const r = simSpec(slow(policy)).result;
    expect(r.balance.basis).toBe('utilisation');
    // least-connections and power-of-two even out the work; peak-ewma's latency estimate (10 s
    // decay) starves the slow pod in a 4 s run (2% of requests, under half the others' work).
    if (policy !== 'peak-ewma') expect(r.balance.verdict).toBe('balanced');
    const pod3 = podOf(r, 'pod-3');
    expect(pod3.share).toBeLessThan(0.16);
    for (const o of r.pods.filter((p) => p.name !== 'pod-3')) expect(o.share).toBeGreaterThan(pod3.share);
    // ... and latency is better than round-robin's, which waits on the slow pod
    expect(r.latency.p99).toBeLessThan(simSpec(slow('round-robin')).result.latency.p99);
  });

  it('the Result carries the TestSpec unchanged and one timeline point per second', () => {
    const spec = slow('round-robin');
    const r = simSpec(spec).result;
    expect(r.spec.name).toBe('slow-round-robin');
    expect(r.spec.target).toMatchObject({ kind: 'lab', pods: 5, policy: 'round-robin' });
    expect(r.timeline.map((w) => w.t).slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(r.timeline.reduce((a, w) => a + w.requests, 0)).toBe(r.totals.requests);
  });
});
