import { applyToEach, undoEach } from './each-pod.js';
import type { ChaosLab, ChaosPod, FaultDefinition } from './fault.js';

/**
 * Scale-down: the chosen pods are removed (taken out of rotation, in-flight requests finish,
 * then ended), as a Deployment scaled down would. When the fault ends they come back with the
 * same name, behaviour and weight. A scale-down always leaves at least one pod.
 */
export const scaleDownFault: FaultDefinition<'scale-down'> = {
  type: 'scale-down',
  targets: 'existing',
  presets: { low: {}, medium: {}, high: {} },
  create: (pods) => {
    const removed = new Map<string, ChaosPod>();
    /** Re-adds a removed pod once (a second rollback finds nothing to do). */
    const restore = (lab: ChaosLab, name: string): Promise<unknown> => {
      const p = removed.get(name);
      removed.delete(name);
      return p ? lab.addPod({ name, behaviour: p.behaviour, weight: p.weight }) : Promise.resolve();
    };
    return {
      async apply(lab) {
        for (const p of lab.pods()) if (pods.includes(p.name)) removed.set(p.name, p);
        return applyToEach(
          pods,
          (pod) => lab.removePod(pod),
          (pod) => restore(lab, pod),
        );
      },
      rollback: (lab) => undoEach(pods, (pod) => restore(lab, pod)),
    };
  },
};
