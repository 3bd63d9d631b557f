import type { ChaosLab } from '../chaos/fault.js';
import { ValidationError } from '../core/errors.js';
import { Lab, type LabOptions } from '../lab/lab.js';
import { checkLabOptions } from '../lab/lab-options.js';
import type { LabPlan } from '../runs/plan.js';
import type { Target, TargetPod } from './target.js';

/** The embedded lab as a target: pods and proxy on 127.0.0.1, busy time read from the pods. */
export class LabTargetAdapter implements Target {
  readonly kind = 'lab' as const;
  readonly podHeader = 'x-scale-pod';
  private constructor(readonly lab: Lab) {}

  static async open(plan: LabPlan): Promise<LabTargetAdapter> {
    return new LabTargetAdapter(await Lab.start(labOptions(plan)));
  }

  /**
   * Refuses, before anything starts, a plan the lab would refuse at start. The TestSpec's limits
   * are the lab's (spec/limits.ts), so this only fires if the two ever drift apart; it keeps
   * such a spec a 400 (exit 2) with the problem listed, not a run that fails.
   */
  static check(plan: LabPlan): void {
    const issues = checkLabOptions(labOptions(plan));
    if (issues.length > 0) throw new ValidationError(issues.map((i) => ({ path: 'target', message: `the lab cannot run this: ${i.path} ${i.message}` })));
  }

  get url(): string {
    return this.lab.url;
  }

  /** Faults act on the lab itself. */
  get chaos(): ChaosLab {
    return this.lab;
  }

  async pods(): Promise<TargetPod[]> {
    const stats = await this.lab.stats();
    return stats.map((s) => ({ name: s.name, eligible: s.up && s.healthy, busyMs: s.busyMs, busySqMs: s.busySqMs, concurrency: s.concurrency }));
  }

  async close(): Promise<void> {
    await this.lab.close();
  }
}

function labOptions(plan: LabPlan): LabOptions {
  return {
    pods: plan.pods.map((p) => ({ name: p.name, behaviour: p.behaviour, weight: p.weight })),
    policy: plan.policy,
    policyOptions: plan.policyOptions,
    mode: plan.mode,
    ejectAfterFailures: plan.ejectAfterFailures,
    seed: plan.seed,
  };
}
