import { describe, expect, it } from '@jest/globals';
import { letters, loads, makePods, picks, seeded } from './helpers.js';

describe('least-connections', () => {
  it.each([
    { case: 'unique least', pods: loads(3, 1, 2), want: 'b b b b b b' },
    { case: 'ties b,c take turns', pods: loads(2, 1, 1), want: 'b c b c b c' },
    { case: 'all equal: round-robin, not always the first', pods: loads(0, 0, 0), want: 'a b c a b c' },
    { case: 'least is unhealthy', pods: makePods(3, [{ inflight: 4 }, { inflight: 0, healthy: false }, { inflight: 5 }]), want: 'a a a a a a' },
    { case: 'ignores weights', pods: makePods(2, [{ inflight: 1, weight: 100 }, { inflight: 0, weight: 0 }]), want: 'b b b b b b' },
    { case: 'no healthy pod', pods: makePods(2, [{ healthy: false }, { healthy: false }]), want: '- - - - - -' },
  ])('$case: $want', ({ pods, want }) => {
    expect(letters(picks(seeded('least-connections').policy, pods, 6))).toBe(want);
  });

  it('follows changing counts (each pick opens a request)', () => {
    const { policy } = seeded('least-connections');
    const pods = loads(2, 0, 1);
    const seq: number[] = [];
    for (let k = 0; k < 6; k++) {
      const i = policy.pick(pods, {});
      seq.push(i);
      pods[i].inflight++;
    }
    // b(0) -> b=1: ties b,c at 1, cursor after b -> c; then a,b,c all 2 -> a, ...
    expect(letters(seq)).toBe('b c b c a b');
  });

});
