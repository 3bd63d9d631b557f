import { describe, expect, it } from '@jest/globals';
import { loads, makePods, picks, seeded, shares } from './helpers.js';

describe('power-of-two', () => {
  it.each([
    { case: 'two pods, d=2: always the less loaded', pods: loads(5, 0), choices: 2, want: [1, 1, 1, 1, 1, 1] },
    { case: 'd = n: the global least', pods: loads(4, 2, 7, 3), choices: 4, want: [1, 1, 1, 1, 1, 1] },
    { case: 'd > healthy count: least healthy', pods: makePods(3, [{ inflight: 1, healthy: false }, { inflight: 4 }, { inflight: 3 }]), choices: 5, want: [2, 2, 2, 2, 2, 2] },
    { case: 'no healthy pod', pods: makePods(2, [{ healthy: false }, { healthy: false }]), choices: 2, want: [-1, -1, -1, -1, -1, -1] },
  ])('$case', ({ pods, choices, want }) => {
    expect(picks(seeded('power-of-two', { choices }).policy, pods, 6)).toEqual(want);
  });

  it('matches the analytic shares for fixed loads 0..4 (pod i wins a pair iff the other is above it)', () => {
    // P(pick i) = (number of pods loaded above i) / C(5, 2) = (4 - i) / 10.
    const got = shares(seeded('power-of-two').policy, loads(0, 1, 2, 3, 4), 100_000);
    [0.4, 0.3, 0.2, 0.1, 0].forEach((want, i) => expect(Math.abs(got[i] - want)).toBeLessThan(0.01));
  });

  it('breaks ties at random: equal loads with d = n share evenly (1/3 within 1%)', () => {
    const got = shares(seeded('power-of-two', { choices: 3 }).policy, loads(2, 2, 2), 100_000);
    for (const s of got) expect(Math.abs(s - 1 / 3)).toBeLessThan(0.01);
  });

  it('with d = 1 is uniform random (0.2 within 1%)', () => {
    const got = shares(seeded('power-of-two', { choices: 1 }).policy, loads(9, 0, 0, 0, 0), 100_000);
    for (const s of got) expect(Math.abs(s - 0.2)).toBeLessThan(0.01);
  });

});
