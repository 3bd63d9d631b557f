import { describe, expect, it } from '@jest/globals';
import { POLICY_NAMES } from '../../src/policies/policy.js';
import { compareCandidates, comparePolicies } from '../../src/sim/compare.js';
import { parseSimSpec, planSimulation } from '../../src/sim/plan-simulation.js';

const slowPod = planSimulation(
  parseSimSpec({ pods: 5, podConcurrency: 4, serviceTime: 'exp:4ms', podBehaviour: [{ pods: ['pod-3'], speed: 0.2 }], load: { model: 'open', load: 0.7 }, requests: 30_000, seed: 2 }),
);

describe('compare', () => {
  it('candidates: one per policy, and one per parameter value for the policies that read it', () => {
    expect(compareCandidates().map((c) => c.label)).toEqual([...POLICY_NAMES]);
    const labels = compareCandidates(['round-robin', 'power-of-two', 'peak-ewma'], { choices: [2, 3], decayMs: [1000] }).map((c) => c.label);
    expect(labels).toEqual(['round-robin', 'power-of-two(choices=2)', 'power-of-two(choices=3)', 'peak-ewma(choices=2,decay=1s)', 'peak-ewma(choices=3,decay=1s)']);
  });

  it('ranks every policy on the same workload; by p99, the load-aware policies beat round-robin and random on a slow pod', () => {
    const rows = comparePolicies(slowPod, compareCandidates(), 'p99');
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(rows.map((r) => r.policy))).toEqual(new Set(POLICY_NAMES));
    for (let i = 1; i < rows.length; i++) expect(rows[i].p99).toBeGreaterThanOrEqual(rows[i - 1].p99);
    const rank = (p: string) => rows.find((r) => r.policy === p)!.rank;
    for (const good of ['least-connections', 'power-of-two', 'peak-ewma']) {
      expect(rank(good)).toBeLessThan(rank('round-robin'));
      expect(rank(good)).toBeLessThan(rank('random'));
    }
    // every candidate saw the same arrivals (same seed): the same number of requests
    expect(new Set(rows.map((r) => r.requests)).size).toBe(1);
    // thresholds are reported per row: round-robin overloads the slow pod (imbalanced by work),
    // least-connections spares it (balanced by work, uneven by requests)
    expect(rows.find((r) => r.policy === 'round-robin')!.pass).toBe(false);
    expect(rows.find((r) => r.policy === 'least-connections')!.pass).toBe(true);
  });

  it('by balance (the default), the first policy has a p99 within a small factor of the best, and is balanced by work', () => {
    const rows = comparePolicies(slowPod, compareCandidates());
    const best = Math.min(...rows.map((r) => r.p99));
    expect(rows[0].p99).toBeLessThanOrEqual(2 * best + 0.005);
    expect(rows[0]).toMatchObject({ basis: 'utilisation', verdict: 'balanced', feasible: true });
    const rank = (p: string) => rows.find((r) => r.policy === p)!.rank;
    for (const good of ['least-connections', 'power-of-two', 'peak-ewma']) expect(rank(good)).toBeLessThan(rank('round-robin'));
    // both figures are shown: round-robin is even by requests and uneven by work
    const rr = rows.find((r) => r.policy === 'round-robin')!;
    expect(rr.requestScore).toBeGreaterThan(0.99);
    expect(rr.utilisation!).toBeLessThan(0.8);
    expect(rr.score).toBe(rr.utilisation);
  });

  it('the README slow-pod comparison (5 pods, one 5x slower, load 0.9) never ranks the policy with a p99 of minutes first', () => {
    const plan = planSimulation(parseSimSpec({ pods: 5, serviceTime: 'exp:10ms', podBehaviour: [{ pods: ['pod-3'], speed: 0.2 }], load: { model: 'open', load: 0.9 }, requests: 100_000, seed: 1 }));
    const rows = comparePolicies(plan, compareCandidates());
    const best = Math.min(...rows.map((r) => r.p99));
    expect(rows[0].p99).toBeLessThanOrEqual(2 * best + 0.005);
    expect(rows[0].policy).not.toBe('round-robin');
    // a policy whose p99 is far worse than the best is ranked after every one that is not
    const firstFar = rows.findIndex((r) => !r.feasible);
    expect(rows.slice(firstFar).every((r) => !r.feasible)).toBe(true);
  });

  it('by a single figure: requests puts round-robin first, utilisation least-connections', () => {
    const candidates = compareCandidates(['round-robin', 'least-connections']);
    expect(comparePolicies(slowPod, candidates, 'requests')[0].policy).toBe('round-robin');
    expect(comparePolicies(slowPod, candidates, 'utilisation')[0].policy).toBe('least-connections');
  });
});
