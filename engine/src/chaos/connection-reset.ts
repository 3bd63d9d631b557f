import type { FaultDefinition } from './fault.js';
import { podLayerFault } from './pod-layer.js';

/**
 * Connection resets: `rate` of the requests reaching the chosen pods get their connection reset
 * (TCP RST) instead of an answer. Behind an L7 balancer the client sees the balancer's 502; at
 * L4 it sees the reset itself.
 */
export const connectionResetFault: FaultDefinition<'connection-reset'> = {
  type: 'connection-reset',
  targets: 'existing',
  presets: { low: { rate: 0.01 }, medium: { rate: 0.05 }, high: { rate: 0.2 } },
  create: (pods, p) => podLayerFault(pods, { resetRate: p.rate }),
};
