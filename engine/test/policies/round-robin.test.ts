import { describe, expect, it } from '@jest/globals';
import { letters, makePods, picks, seeded } from './helpers.js';

describe('round-robin', () => {
  it.each([
    { case: '3 healthy pods', pods: makePods(3), want: 'a b c a b c a' },
    { case: '3 pods, pod-2 unhealthy', pods: makePods(3, [{}, { healthy: false }]), want: 'a c a c a c a' },
    { case: '3 pods, only pod-3 healthy', pods: makePods(3, [{ healthy: false }, { healthy: false }]), want: 'c c c c c c c' },
    { case: 'ignores weights and load', pods: makePods(3, [{ weight: 9, inflight: 50 }, { weight: 0 }]), want: 'a b c a b c a' },
    { case: 'no healthy pod', pods: makePods(2, [{ healthy: false }, { healthy: false }]), want: '- - - - - - -' },
    { case: 'no pods', pods: [], want: '- - - - - - -' },
  ])('$case: $want', ({ pods, want }) => {
    expect(letters(picks(seeded('round-robin').policy, pods, 7))).toBe(want);
  });

  it('keeps rotating when a pod is ejected and re-admitted mid-sequence', () => {
    const { policy } = seeded('round-robin');
    const pods = makePods(3);
    const seq = picks(policy, pods, 2); // a b
    pods[2].healthy = false;
    seq.push(...picks(policy, pods, 2)); // a b
    pods[2].healthy = true;
    seq.push(...picks(policy, pods, 3)); // c a b
    expect(letters(seq)).toBe('a b a b c a b');
  });

  it('copes with pods added and removed between calls', () => {
    const { policy } = seeded('round-robin');
    const pods = makePods(3);
    const seq = picks(policy, pods, 2); // a b
    pods.push(makePods(4)[3]);
    seq.push(...picks(policy, pods, 3)); // c d a
    pods.splice(0, 2); // [c, d]: the cursor (1) now points at d
    seq.push(...picks(policy, pods, 3).map((i) => i + 2)); // d c d, in the old letters
    expect(letters(seq)).toBe('a b c d a d c d');
  });

  it('gives each of 5 pods exactly 1/5 of 100,000 picks', () => {
    const { policy } = seeded('round-robin');
    const pods = makePods(5);
    const hits = [0, 0, 0, 0, 0];
    for (let k = 0; k < 100_000; k++) hits[policy.pick(pods, {})]++;
    expect(hits).toEqual([20_000, 20_000, 20_000, 20_000, 20_000]);
  });
});
