import { bandwidthFault } from './bandwidth.js';
import { connectionResetFault } from './connection-reset.js';
import { errorsFault } from './errors.js';
import type { FaultDefinition, FaultType } from './fault.js';
import { latencyFault } from './latency.js';
import { partitionFault } from './partition.js';
import { podFailureFault } from './pod-failure.js';
import { scaleDownFault } from './scale-down.js';
import { scaleUpFault } from './scale-up.js';

/** Every fault type by its kebab-case name (as k6 registers executors). */
export const FAULTS: { readonly [T in FaultType]: FaultDefinition<T> } = {
  latency: latencyFault,
  errors: errorsFault,
  'pod-failure': podFailureFault,
  partition: partitionFault,
  'connection-reset': connectionResetFault,
  bandwidth: bandwidthFault,
  'scale-up': scaleUpFault,
  'scale-down': scaleDownFault,
};

/** The definition of `type`, with its parameter types erased (callers pass resolved params). */
export function definitionOf(type: FaultType): FaultDefinition {
  return FAULTS[type] as unknown as FaultDefinition;
}
