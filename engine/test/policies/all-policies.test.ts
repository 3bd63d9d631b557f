import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/random.js';
import { POLICY_NAMES } from '../../src/policies/policy.js';
import { makePods, seeded, type TestPod } from './helpers.js';

const ALL = POLICY_NAMES.map((name) => ({ name }));

/** Pods a policy may pick: healthy, and for the weight-aware ones with a positive weight. */
function pickable(name: string, pod: TestPod): boolean {
  return pod.healthy && (!(name === 'weighted-round-robin' || name === 'consistent-hash') || pod.weight > 0);
}

describe.each(ALL)('$name (common contract)', ({ name }) => {
  it('returns -1 for no pods and for no healthy pod', () => {
    const { policy } = seeded(name);
    expect(policy.pick([], { key: 'k' })).toBe(-1);
    expect(policy.pick(makePods(4, Array(4).fill({ healthy: false })), { key: 'k' })).toBe(-1);
  });

  it('copes with pods added, removed, ejected and reweighted between calls (20,000 churning steps)', () => {
    const { policy, clock } = seeded(name, { choices: 2 });
    const churn = seededRandom(99);
    let pods = makePods(6);
    let next = 7;
    const violations: string[] = [];
    for (let step = 0; step < 20_000; step++) {
      const r = churn.next();
      if (r < 0.02 && pods.length < 12) pods = [...pods, { name: `pod-${next++}`, inflight: 0, weight: 1, healthy: true }];
      else if (r < 0.04 && pods.length > 0) pods.splice(Math.floor(churn.next() * pods.length), 1); // in place
      else if (r < 0.08 && pods.length > 0) {
        const p = pods[Math.floor(churn.next() * pods.length)];
        p.healthy = !p.healthy;
      } else if (r < 0.09 && pods.length > 0) pods[Math.floor(churn.next() * pods.length)].weight = Math.floor(churn.next() * 3);
      const i = policy.pick(pods, { key: `k${step % 50}` });
      const valid = i === -1 ? !pods.some((p) => pickable(name, p)) : Number.isInteger(i) && i >= 0 && i < pods.length && pickable(name, pods[i]);
      if (!valid) violations.push(`step ${step}: picked ${i} of ${JSON.stringify(pods)}`);
      if (i >= 0) {
        pods[i].inflight++; // L4 or L7 alike: inflight is what the host counts
        policy.observe?.(pods[i].name, 1 + (i % 3));
      }
      if (step % 3 === 0) for (const p of pods) p.inflight = Math.max(0, p.inflight - 1);
      clock.advance(1);
    }
    expect(violations.slice(0, 3)).toEqual([]);
  });

  it('is deterministic: same seed, same inputs, same sequence', () => {
    const run = (seed: number) => {
      const { policy, clock } = seeded(name, {}, seed);
      const pods = makePods(7, [{ inflight: 2 }, { weight: 3 }, { healthy: false }, { inflight: 1 }]);
      return Array.from({ length: 2000 }, (_, k) => {
        const i = policy.pick(pods, { key: `user-${k % 97}` });
        pods[i].inflight = (pods[i].inflight + 1) % 4;
        policy.observe?.(pods[i].name, 5 + (k % 11));
        clock.advance(3);
        return i;
      });
    };
    const a = run(5);
    expect(run(5)).toEqual(a);
    if (name === 'random' || name === 'power-of-two' || name === 'peak-ewma') expect(run(6)).not.toEqual(a);
  });
});
