import { durationMs } from '../core/duration.js';
import { applyToEach, undoEach } from './each-pod.js';
import type { FaultDefinition } from './fault.js';

/**
 * Network partition: the balancer can no longer reach the chosen pods. `refused`: its connects
 * fail at once (as a REJECT); `blackhole`: they hang for `connectTimeout` and then fail (as a
 * DROP), which is the slower and nastier failure. Health probes fail the same way, so an
 * ejected pod stays out until the partition heals. Done inside the lab's proxy on 127.0.0.1
 * (lab/partition.ts): no network namespaces, routes or packet filters.
 */
export const partitionFault: FaultDefinition<'partition'> = {
  type: 'partition',
  targets: 'existing',
  presets: {
    low: { mode: 'refused', connectTimeout: '10s' },
    medium: { mode: 'refused', connectTimeout: '10s' },
    high: { mode: 'blackhole', connectTimeout: '10s' },
  },
  create: (pods, p) => {
    const partition = { mode: p.mode, connectTimeoutMs: durationMs(p.connectTimeout) };
    return {
      apply: (lab) =>
        applyToEach(
          pods,
          (pod) => lab.setPartition(pod, partition),
          (pod) => lab.setPartition(pod, undefined),
        ),
      rollback: (lab) => undoEach(pods, (pod) => lab.setPartition(pod, undefined)),
    };
  },
};
