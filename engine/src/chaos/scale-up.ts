import { DEFAULT_POD_BEHAVIOUR } from '../spec/pod-behaviour.js';
import { undoEach } from './each-pod.js';
import type { FaultDefinition } from './fault.js';

/**
 * Scale-up: pods are added while traffic flows, as a Deployment scaled up would add replicas;
 * they are removed again when the fault ends. New pods copy the first pod's behaviour (a
 * ReplicaSet's pods share one template) with weight 1. Under L4 with keep-alive they get
 * (almost) no traffic until connections are re-established: the imbalance this reproduces.
 * Targets: `pods` names the new pods; `count` or `percent` (of the current pods) says how many.
 */
export const scaleUpFault: FaultDefinition<'scale-up'> = {
  type: 'scale-up',
  targets: 'new',
  presets: { low: {}, medium: {}, high: {} },
  create: (names, _p, count) => {
    const added: string[] = [];
    return {
      async apply(lab) {
        const behaviour = lab.pods()[0]?.behaviour ?? DEFAULT_POD_BEHAVIOUR;
        // In parallel (a pod's start is mostly its worker's start-up); the lab names unnamed
        // pods at the call, in call order, so the names are pod-(N+1), pod-(N+2), ...
        const settled = await Promise.allSettled(Array.from({ length: count }, (_, i) => lab.addPod({ name: names[i], behaviour })));
        for (const r of settled) if (r.status === 'fulfilled') added.push(r.value);
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed) {
          await undoEach(added.splice(0), (pod) => lab.removePod(pod));
          throw failed.reason;
        }
        return [...added];
      },
      rollback: (lab) => undoEach(added.splice(0), (pod) => lab.removePod(pod)),
    };
  },
};
