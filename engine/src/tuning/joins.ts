import { durationMs } from '../core/duration.js';
import type { SimPlan } from '../sim/sim-plan.js';
import type { TestSpec } from '../spec/test-spec.js';
import { labPodName } from '../spec/pod-names.js';

/**
 * Pods joining (a scale-up, a pod that recovers) is when a balancer's slow start matters, and
 * only then: in steady state a slow-start setting behaves exactly as its policy without it. So
 * when a spec's workload has joins, the tuner tries a slow-start window with every policy and
 * judges every setting (simulated and live) on a window in which one pod joins, cold when the
 * spec says pods start cold (`target.warmup`).
 */

/** Slow-start window tried when the spec does not say how long pods take to warm up. */
export const DEFAULT_SLOW_START_MS = 10_000;
/** Where the join falls in a judged window, and how long the window runs on after it (ms). */
export const JOIN_AT_MS = 2_000;
const AFTER_JOIN_MS = 4_000;

/** True when the spec's faults make pods join: a scale-up, a pod-failure that recovers, a partition. */
export function hasJoins(spec: TestSpec): boolean {
  return (spec.faults ?? []).some((f) => f.type === 'scale-up' || f.type === 'partition' || (f.type === 'pod-failure' && !f.kill));
}

/** The slow-start window to try for `spec`: its pods' warm-up time, or the default; undefined without joins. */
export function slowStartToTry(spec: TestSpec): number | undefined {
  if (!hasJoins(spec) || spec.target.kind !== 'lab') return undefined;
  return spec.target.warmup ? durationMs(spec.target.warmup.duration) : DEFAULT_SLOW_START_MS;
}

/** Length of a judged window with a join: the join, then the first part of its warm-up (at most `AFTER_JOIN_MS`). */
export function joinWindowMs(atLeastMs: number): number {
  return Math.max(atLeastMs, JOIN_AT_MS + AFTER_JOIN_MS);
}

/** The spec's fault for a live judged window: one pod added at JOIN_AT_MS until the end. */
export function joinFault(windowMs: number): NonNullable<TestSpec['faults']>[number] {
  return { type: 'scale-up', count: 1, at: `${JOIN_AT_MS}ms`, duration: `${windowMs - JOIN_AT_MS}ms`, severity: 'medium' };
}

/** `plan` with one more pod (a copy of pod-1) joining at JOIN_AT_MS, its run cut to the judged window. */
export function withJoin(plan: SimPlan): SimPlan {
  const first = plan.pods[0];
  const n = plan.initialPods;
  const pods = [...plan.pods.slice(0, n), { ...first, name: labPodName(n + 1), weight: 1 }];
  const windowMs = joinWindowMs(0);
  return {
    ...plan,
    pods,
    events: [{ atMs: JOIN_AT_MS, type: 'scale', to: n + 1 }],
    durationMs: Math.min(plan.durationMs, windowMs),
    expectedMs: Math.min(plan.expectedMs, windowMs),
  };
}
