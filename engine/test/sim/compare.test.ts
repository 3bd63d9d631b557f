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
    expect(labels).toEqual(['round-robin', 'power-of-two(choices=2)', 'power-of-two(choices=3)', 'peak-ewma(choices=2,decay=1000ms)', 'peak-ewma(choices=3,decay=1000ms)']);
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
    // thresholds do not reorder the table; they are reported per row (round-robin overloads
    // the slow pod but is "balanced" by count; the others spare it and are "imbalanced")
    expect(rows.find((r) => r.policy === 'round-robin')!.pass).toBe(true);
    expect(rows.find((r) => r.policy === 'least-connections')!.pass).toBe(false);
  });

  it('by balance, round-robin (even counts) ranks above the policies that spare the slow pod; by utilisation the other way round', () => {
    const candidates = compareCandidates(['round-robin', 'least-connections']);
    expect(comparePolicies(slowPod, candidates, 'balance')[0].policy).toBe('round-robin');
    expect(comparePolicies(slowPod, candidates, 'utilisation')[0].policy).toBe('least-connections');
  });
});
