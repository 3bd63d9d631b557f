import { describe, expect, it } from '@jest/globals';
import { PolicyOptionsError } from '../../src/policies/registry.js';
import { makePods, picks, seeded, type TestPod } from './helpers.js';

/** Picks `count` times; each pick adds one in-flight request to the chosen pod (none complete). */
function pickAndHold(policy: ReturnType<typeof seeded>['policy'], pods: TestPod[], count: number): number[] {
  const hits = new Array<number>(pods.length).fill(0);
  for (let k = 0; k < count; k++) {
    const i = policy.pick(pods, {});
    hits[i]++;
    pods[i].inflight++;
  }
  return hits;
}

describe('slow start (any policy)', () => {
  it('changes nothing for the pods present at the first pick', () => {
    const pods = makePods(5);
    const plain = seeded('round-robin').policy;
    const slow = seeded('round-robin', { slowStartMs: 10_000 }).policy;
    expect(picks(slow, pods, 50)).toEqual(picks(plain, pods, 50));
  });

  // As if its weight were f among five pods of weight 1: a share of f / (5 + f).
  it('round-robin: a pod added later weighs 0.1 at first, 0.5 at mid-window, 1 after (seeded, 60,000 picks each, ± 0.002)', () => {
    const { policy, clock } = seeded('round-robin', { slowStartMs: 10_000 }, 7);
    const pods = makePods(5);
    policy.pick(pods, {});
    pods.push(...makePods(6).slice(5));
    const shareOfNew = () => {
      let n = 0;
      for (let k = 0; k < 60_000; k++) if (policy.pick(pods, {}) === 5) n++;
      return n / 60_000;
    };
    expect(Math.abs(shareOfNew() - 0.1 / 5.1)).toBeLessThan(0.002);
    clock.advance(5_000);
    expect(Math.abs(shareOfNew() - 0.5 / 5.5)).toBeLessThan(0.002);
    clock.advance(5_000);
    expect(shareOfNew()).toBeCloseTo(1 / 6, 6); // round-robin again: exactly a sixth
  });

  it('least-connections: a new pod (0 in flight) is not sent every request until it catches up', () => {
    const herd = (slowStartMs: number) => {
      const { policy } = seeded('least-connections', { slowStartMs }, 3);
      const pods = makePods(4, Array.from({ length: 4 }, () => ({ inflight: 50 })));
      policy.pick(pods, {});
      pods.push({ name: 'pod-5', inflight: 0, weight: 1, healthy: true });
      return pickAndHold(policy, pods, 50)[4];
    };
    expect(herd(0)).toBe(50);
    // accepted with probability 0.1 each time it is least loaded: binomial(50, 0.1), mean 5
    expect(herd(30_000)).toBeLessThan(15);
  });

  it('a pod that comes back healthy ramps up again; one that never left does not', () => {
    const { policy, clock } = seeded('round-robin', { slowStartMs: 10_000 }, 2);
    const pods = makePods(4);
    policy.pick(pods, {});
    pods[1].healthy = false;
    picks(policy, pods, 10);
    clock.advance(1_000);
    pods[1].healthy = true;
    const hits = [0, 0, 0, 0];
    for (let k = 0; k < 40_000; k++) hits[policy.pick(pods, {})]++;
    expect(Math.abs(hits[1] / 40_000 - 0.1 / 3.1)).toBeLessThan(0.003);
    expect(hits[0] / 40_000).toBeGreaterThan(0.25);
  });

  it('a pod that leaves the list (scaled in) and comes back under the same name ramps again', () => {
    const { policy, clock } = seeded('round-robin', { slowStartMs: 10_000 }, 4);
    const pods = makePods(4);
    policy.pick(pods, {});
    const gone = pods.pop()!;
    picks(policy, pods, 5);
    clock.advance(60_000);
    pods.push(gone);
    let n = 0;
    for (let k = 0; k < 40_000; k++) if (policy.pick(pods, {}) === 3) n++;
    expect(Math.abs(n / 40_000 - 0.1 / 3.1)).toBeLessThan(0.003);
  });

  it('is refused for consistent-hash (it would break key affinity)', () => {
    expect(() => seeded('consistent-hash', { slowStartMs: 5_000 })).toThrow(/consistent-hash has no slow start/);
    expect(() => seeded('consistent-hash')).not.toThrow();
  });

  it('an only pod is picked even while cold; no healthy pod is still -1', () => {
    const { policy } = seeded('power-of-two', { slowStartMs: 10_000 });
    const pods = makePods(1, [{ healthy: false }]);
    expect(policy.pick(pods, {})).toBe(-1);
    pods[0].healthy = true;
    expect(picks(policy, pods, 20)).toEqual(new Array(20).fill(0));
  });

  it('rejects a negative or huge window', () => {
    expect(() => seeded('random', { slowStartMs: -1 })).toThrow(PolicyOptionsError);
    expect(() => seeded('random', { slowStartMs: 7_200_000 })).toThrow(/slowStartMs/);
  });
});
