import { describe, expect, it } from '@jest/globals';
import { makePods, picks, seeded, shares } from './helpers.js';

describe('random', () => {
  it('gives each of 5 pods 0.2 within 1% absolute over 100,000 seeded picks', () => {
    for (const seed of [1, 2, 3]) {
      const got = shares(seeded('random', {}, seed).policy, makePods(5), 100_000);
      for (const s of got) expect(Math.abs(s - 0.2)).toBeLessThan(0.01);
    }
  });

  it('spreads evenly over the healthy pods only (0.25 each within 1%, 0 for the ejected)', () => {
    const got = shares(seeded('random').policy, makePods(5, [{}, {}, { healthy: false }]), 100_000);
    expect(got[2]).toBe(0);
    for (const s of [got[0], got[1], got[3], got[4]]) expect(Math.abs(s - 0.25)).toBeLessThan(0.01);
  });

  it('stays uniform when most pods are unhealthy (the O(n) fallback)', () => {
    const pods = makePods(20, Array.from({ length: 20 }, (_, i) => ({ healthy: i === 3 || i === 17 })));
    const got = shares(seeded('random').policy, pods, 100_000);
    expect(Math.abs(got[3] - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(got[17] - 0.5)).toBeLessThan(0.01);
  });

  it('returns the only healthy pod, or -1 when there is none', () => {
    expect(picks(seeded('random').policy, makePods(3, [{ healthy: false }, {}, { healthy: false }]), 5)).toEqual([1, 1, 1, 1, 1]);
    expect(picks(seeded('random').policy, makePods(3, [{ healthy: false }, { healthy: false }, { healthy: false }]), 3)).toEqual([-1, -1, -1]);
  });
});
