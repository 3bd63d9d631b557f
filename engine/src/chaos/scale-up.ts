import { DEFAULT_POD_BEHAVIOUR } from '../lab/behaviour.js';
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
        try {
          // One after the other: the lab names each new pod after the ones before it.
          for (let i = 0; i < count; i++) added.push(await lab.addPod({ name: names[i], behaviour }));
        } catch (err) {
          await undoEach(added.splice(0), (pod) => lab.removePod(pod));
          throw err;
        }
        return [...added];
      },
      rollback: (lab) => undoEach(added.splice(0), (pod) => lab.removePod(pod)),
    };
  },
};
