import { describe, expect, it } from '@jest/globals';
import { letters, makePods, picks, seeded, shares } from './helpers.js';

const weighted = (...weights: number[]) => makePods(weights.length, weights.map((weight) => ({ weight })));

describe('weighted-round-robin (nginx smooth WRR)', () => {
  it.each([
    // The sequence from nginx's changeset "Upstream: smooth weighted round-robin balancing".
    { case: 'weights 5,1,1', pods: weighted(5, 1, 1), want: 'a a b a c a a a a b a c a a' },
    { case: 'weights 1,1,1', pods: weighted(1, 1, 1), want: 'a b c a b c a b c a b c a b' },
    { case: 'weights 2,1', pods: weighted(2, 1), want: 'a b a a b a a b a a b a a b' },
    { case: 'weights 3,0,1: weight 0 never', pods: weighted(3, 0, 1), want: 'a a c a a a c a a a c a a a' },
    { case: 'weights 5,1,1 with b unhealthy', pods: makePods(3, [{ weight: 5 }, { healthy: false }]), want: 'a a a c a a a a a c a a a a' },
    { case: 'all weights 0', pods: weighted(0, 0), want: '- - - - - - - - - - - - - -' },
    { case: 'no healthy pod', pods: makePods(2, [{ healthy: false }, { healthy: false }]), want: '- - - - - - - - - - - - - -' },
  ])('$case: $want', ({ pods, want }) => {
    expect(letters(picks(seeded('weighted-round-robin').policy, pods, 14))).toBe(want);
  });

  it.each([
    { weights: [5, 3, 2], count: 100_000 },
    { weights: [5, 1, 1], count: 99_995 }, // a whole number of periods of 7
    { weights: [1, 2, 3, 4], count: 100_000 },
  ])('gives exactly weight/sum of $count picks to weights $weights', ({ weights, count }) => {
    const sum = weights.reduce((a, b) => a + b, 0);
    const got = shares(seeded('weighted-round-robin').policy, weighted(...weights), count);
    got.forEach((share, i) => expect(Math.round(share * count)).toBe((count * weights[i]) / sum));
  });

  it('keeps the scores of remaining pods when pods change, new pods starting at 0', () => {
    const { policy } = seeded('weighted-round-robin');
    const pods = weighted(5, 1, 1);
    const seq = picks(policy, pods, 3); // a a b: scores now a=1, b=-4, c=3
    const d = { name: 'pod-4', inflight: 0, weight: 1, healthy: true };
    const grown = [pods[2], d, pods[0], pods[1]]; // reordered, plus a new pod
    seq.push(...picks(policy, grown, 5).map((i) => [2, 3, 0, 1][i]));
    // (c, d, a, b) scores plus weights (1, 1, 5, 1), total 8: (4, 1, 6, -3) -> a;
    // (5, 2, 3, -2) -> c; (-2, 3, 8, -1) -> a; (-1, 4, 5, 0) -> a; (0, 5, 2, 1) -> d.
    expect(letters(seq)).toBe('a a b a c a a d');
  });

  it('reads weights at every pick (a reweighted pod takes its new share)', () => {
    const { policy } = seeded('weighted-round-robin');
    const pods = weighted(1, 1);
    picks(policy, pods, 10);
    pods[1].weight = 3;
    const got = shares(policy, pods, 40_000);
    expect(got[1]).toBeCloseTo(0.75, 3);
  });
});
