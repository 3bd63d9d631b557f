import type { ChaosLab } from '../chaos/fault.js';
import { Lab } from '../lab/lab.js';
import type { LabPlan } from '../runs/plan.js';
import type { Target, TargetPod } from './target.js';

/** The embedded lab as a target: pods and proxy on 127.0.0.1, busy time read from the pods. */
export class LabTargetAdapter implements Target {
  readonly kind = 'lab' as const;
  readonly podHeader = 'x-scale-pod';
  private constructor(readonly lab: Lab) {}

  static async open(plan: LabPlan): Promise<LabTargetAdapter> {
    const lab = await Lab.start({
      pods: plan.pods.map((p) => ({ name: p.name, behaviour: p.behaviour, weight: p.weight })),
      policy: plan.policy,
      policyOptions: plan.policyOptions,
      mode: plan.mode,
      ejectAfterFailures: plan.ejectAfterFailures,
      seed: plan.seed,
    });
    return new LabTargetAdapter(lab);
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
