import { describe, expect, it } from '@jest/globals';
import { PeakEwmaPolicy } from '../../src/policies/peak-ewma.js';
import { makePods, picks, seeded, shares } from './helpers.js';

/** A peak-ewma policy (decay 10 s unless given) with its manual clock. */
function ewma(options: { choices?: number; decayMs?: number } = {}, seed = 1) {
  const { policy, clock } = seeded('peak-ewma', options, seed);
  return { policy: policy as PeakEwmaPolicy, clock };
}

describe('peak-ewma', () => {
  it.each([
    { case: 'lowest latency wins at equal load', latencies: [10, 30, 20], inflight: [0, 0, 0], want: 0 },
    { case: 'cost is latency × (inflight + 1)', latencies: [10, 30, 20], inflight: [3, 0, 1], want: 1 }, // 40, 30, 40
    { case: 'load tips a tie of latencies', latencies: [10, 10, 10], inflight: [2, 1, 3], want: 1 },
    { case: 'a cheaper unhealthy pod is never picked', latencies: [1, 30, 20], inflight: [0, 0, 0], want: 2, unhealthy: 0 },
  ])('$case', ({ latencies, inflight, want, unhealthy }) => {
    const { policy } = ewma({ choices: 3 });
    const pods = makePods(3, inflight.map((n, i) => ({ inflight: n, healthy: i !== unhealthy })));
    latencies.forEach((ms, i) => policy.observe(pods[i].name, ms));
    expect(picks(policy, pods, 5)).toEqual([want, want, want, want, want]);
  });

  it('replaces the estimate at once with a higher sample (peak) and blends lower ones by time', () => {
    const { policy, clock } = ewma({ decayMs: 1000 });
    policy.observe('a', 10);
    policy.observe('a', 100); // same instant: a peak replaces
    expect(policy.estimate('a')).toBe(100);
    policy.observe('a', 10); // same instant, lower: weight of the new sample is 1 - e^0 = 0
    expect(policy.estimate('a')).toBe(100);
    clock.advance(1000);
    expect(policy.estimate('a')).toBeCloseTo(100 * Math.exp(-1), 9); // reading decays towards 0
    policy.observe('a', 10); // 100 e^-1 = 36.8 > 10: blended
    expect(policy.estimate('a')).toBeCloseTo(100 * Math.exp(-1) + 10 * (1 - Math.exp(-1)), 9);
  });

  it('lets an old spike fade as normal samples keep coming (decay 10 s)', () => {
    const { policy, clock } = ewma();
    policy.observe('pod-1', 10);
    policy.observe('pod-2', 10);
    policy.observe('pod-1', 1000);
    const pods = makePods(2);
    expect(picks(policy, pods, 20).every((i) => i === 1)).toBe(true);
    for (let s = 0; s < 60; s++) {
      clock.advance(1000);
      policy.observe('pod-1', 10);
      policy.observe('pod-2', 10);
    }
    // estimate - 10 shrinks by e^(-1 s / 10 s) per sample: 990 e^-6 ≈ 2.45 left after 60 s.
    expect(policy.estimate('pod-1')).toBeCloseTo(10 + 990 * Math.exp(-6), 6);
    expect(policy.estimate('pod-2')).toBeCloseTo(10, 9);
  });

  it('seeds a new pod with the mean of the known estimates', () => {
    const { policy } = ewma({ choices: 3 });
    policy.observe('pod-1', 10);
    policy.observe('pod-2', 30);
    const pods = makePods(3);
    expect(policy.estimate('pod-3')).toBeUndefined();
    expect(policy.pick(pods, {})).toBe(0); // 10 < seed 20 < 30
    expect(policy.estimate('pod-3')).toBe(20);
    expect(policy.pick([pods[1], pods[2]], {})).toBe(1); // seeded 20 beats 30
  });

  it('treats pods as 0 while no estimate is known, then balances by load (as power-of-two)', () => {
    const { policy } = ewma({ choices: 2 });
    const pods = makePods(2, [{ inflight: 3 }, { inflight: 1 }]);
    expect(picks(policy, pods, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(policy.trackedPods).toBe(0);
  });

  it('forgets pods that left (memory bounded by the pods in use)', () => {
    const { policy } = ewma();
    for (let k = 0; k < 1000; k++) policy.observe(`gone-${k}`, 5);
    const pods = makePods(5);
    for (const p of pods) policy.observe(p.name, 5);
    picks(policy, pods, 20_000);
    expect(policy.trackedPods).toBe(5);
    expect(policy.estimate('gone-1')).toBeUndefined();
  });

  it('with equal latencies and no load shares evenly (ties broken at random)', () => {
    const { policy } = ewma();
    const pods = makePods(4);
    for (const p of pods) policy.observe(p.name, 10);
    for (const s of shares(policy, pods, 100_000)) expect(Math.abs(s - 0.25)).toBeLessThan(0.01);
  });

  it('ignores negative and non-finite latencies', () => {
    const { policy } = ewma();
    policy.observe('a', 7);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) policy.observe('a', bad);
    expect(policy.estimate('a')).toBe(7);
  });
});
