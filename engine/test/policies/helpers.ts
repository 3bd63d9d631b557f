import { ManualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import type { PickRequest, Policy, PolicyName, PolicyOptions } from '../../src/policies/policy.js';
import { createPolicy } from '../../src/policies/registry.js';

/** A host-side pod: mutable, handed to policies as a read-only PodView. */
export interface TestPod {
  name: string;
  inflight: number;
  weight: number;
  healthy: boolean;
}

/** `n` healthy pods named pod-1..pod-n with weight 1, then `overrides[i]` applied to pod i. */
export function makePods(n: number, overrides: Partial<TestPod>[] = []): TestPod[] {
  return Array.from({ length: n }, (_, i) => ({ name: `pod-${i + 1}`, inflight: 0, weight: 1, healthy: true, ...overrides[i] }));
}

/** Healthy pods with the given in-flight counts. */
export function loads(...inflight: number[]): TestPod[] {
  return makePods(inflight.length, inflight.map((n) => ({ inflight: n })));
}

/** A policy with a seeded random source and a manual clock (returned for tests to move). */
export function seeded(name: PolicyName, options: Partial<PolicyOptions> = {}, seed = 1): { policy: Policy; clock: ManualClock } {
  const clock = new ManualClock();
  return { policy: createPolicy(name, options, { random: seededRandom(seed), clock }), clock };
}

/** The indices of `count` consecutive picks. */
export function picks(policy: Policy, pods: TestPod[], count: number, request: PickRequest = {}): number[] {
  return Array.from({ length: count }, () => policy.pick(pods, request));
}

/** Fraction of `count` picks that went to each pod. */
export function shares(policy: Policy, pods: TestPod[], count: number, request: (k: number) => PickRequest = () => ({})): number[] {
  const hits = new Array<number>(pods.length).fill(0);
  for (let k = 0; k < count; k++) hits[policy.pick(pods, request(k))]++;
  return hits.map((h) => h / count);
}

/**
 * Closed-form-free load model: one request arrives per 1 ms step; pod i serves each request in
 * exactly `serviceMs[i]` ms, in parallel (an infinite-server queue), so its in-flight count is
 * what the policy sees. Completions call `observe` with the service time, then the clock moves
 * 1 ms. Returns each pod's share of `steps` picks.
 */
export function simulateLoad(policy: Policy, clock: ManualClock, serviceMs: number[], steps: number): number[] {
  const pods = makePods(serviceMs.length);
  const due: number[][] = serviceMs.map(() => []);
  const head = serviceMs.map(() => 0);
  const hits = serviceMs.map(() => 0);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < pods.length; i++) {
      while (head[i] < due[i].length && due[i][head[i]] <= t) {
        head[i]++;
        pods[i].inflight--;
        policy.observe?.(pods[i].name, serviceMs[i]);
      }
    }
    const i = policy.pick(pods, {});
    hits[i]++;
    pods[i].inflight++;
    due[i].push(t + serviceMs[i]);
    clock.advance(1);
  }
  return hits.map((h) => h / steps);
}

/** Letter names for sequences: index 0 -> "a". */
export function letters(indices: number[]): string {
  return indices.map((i) => (i < 0 ? '-' : String.fromCharCode(97 + i))).join(' ');
}
