import { applyToEach, undoEach } from './each-pod.js';
import type { FaultDefinition } from './fault.js';

/**
 * Pod failure: the chosen pods' servers stop (connections drop, new ones are refused), so the
 * balancer finds out by failing, as with a crashed container. When the fault ends they start
 * again on the same port, as a ReplicaSet's restart would bring them back, unless `kill` is
 * set: then they stay down after the fault ends (the rollback leaves them as they are).
 */
export const podFailureFault: FaultDefinition<'pod-failure'> = {
  type: 'pod-failure',
  targets: 'existing',
  presets: { low: { kill: false }, medium: { kill: false }, high: { kill: false } },
  create: (pods, p) => ({
    apply: (lab) =>
      applyToEach(
        pods,
        (pod) => lab.stopPod(pod),
        (pod) => lab.startPod(pod),
      ),
    rollback: async (lab) => {
      if (!p.kill) await undoEach(pods, (pod) => lab.startPod(pod));
    },
  }),
};
