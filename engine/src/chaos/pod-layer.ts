import type { PodFaultKind, PodFaults } from '../lab/pod-faults.js';
import { applyToEach, undoEach } from './each-pod.js';
import type { Fault } from './fault.js';

/**
 * A fault that lives in the pods' fault layer (lab/pod-faults.ts): latency, errors, resets,
 * bandwidth. Applying sets `patch` on every pod; rolling back clears exactly those kinds, so the
 * pod's behaviour (and other faults on it) are left as they are.
 */
export function podLayerFault(pods: string[], patch: Partial<PodFaults>): Fault {
  const clear: Partial<PodFaults> = {};
  for (const k of Object.keys(patch) as PodFaultKind[]) clear[k] = undefined;
  return {
    apply: (lab) =>
      applyToEach(
        pods,
        (p) => lab.setPodFaults(p, patch),
        (p) => lab.setPodFaults(p, clear),
      ),
    rollback: (lab) => undoEach(pods, (p) => lab.setPodFaults(p, clear)),
  };
}
