import type { BalancerApplier } from '../k8s/balancers/balancer-applier.js';
import type { PolicyName, PolicyOptions } from '../policies/policy.js';
import type { TestRun } from '../runs/test-run.js';

/**
 * What the tuner can change on a run or a target: the embedded lab's policy and weights, or a
 * cluster balancer's setting through its applier.
 */

/** The slice of a lab the tuner changes and reads (the lab target adapter's `lab` is one). */
export interface TunableLab {
  setPolicy(name: PolicyName, options?: Partial<PolicyOptions>): Promise<void>;
  setWeights(weights: Record<string, number>): Promise<void>;
  pods(): Array<{ name: string; weight: number }>;
  stats(): Array<{ name: string; served: number; busyMs: number; concurrency: number }>;
}

/** The running lab behind an opened target, when the target is the embedded lab. */
export function labOfTarget(target: { kind?: string } | undefined): TunableLab | undefined {
  const t = target as { kind?: string; lab?: TunableLab } | undefined;
  return t?.kind === 'lab' && t.lab && typeof t.lab.setPolicy === 'function' ? t.lab : undefined;
}

/** The running lab behind a run, when its target is the embedded lab. */
export function labOf(run: TestRun): TunableLab | undefined {
  return labOfTarget(run.openedTarget);
}

/** The balancer applier of a run's kubernetes target, when it names a balancer. */
export function balancerOf(run: TestRun): BalancerApplier | undefined {
  const t = run.openedTarget as { kind?: string; balancer?: BalancerApplier } | undefined;
  return t?.kind === 'kubernetes' ? t.balancer : undefined;
}

/** A run the tuner can change live: on the lab, or on a cluster's balancer. */
export function tunable(run: TestRun): boolean {
  return run.spec.target.kind === 'lab' || (run.spec.target.kind === 'kubernetes' && run.spec.target.balancer !== undefined);
}
