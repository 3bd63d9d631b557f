import type { FaultDefinition } from './fault.js';
import { podLayerFault } from './pod-layer.js';

/**
 * Slow responses: the chosen pods send response bodies at `bytesPerSecond` (headers at once),
 * so a response of B bytes takes about B / bytesPerSecond seconds longer. Pair it with a
 * `responseBytes` large enough for the limit to matter.
 */
export const bandwidthFault: FaultDefinition<'bandwidth'> = {
  type: 'bandwidth',
  targets: 'existing',
  presets: { low: { bytesPerSecond: 1_000_000 }, medium: { bytesPerSecond: 100_000 }, high: { bytesPerSecond: 10_000 } },
  create: (pods, p) => podLayerFault(pods, { bytesPerSecond: p.bytesPerSecond }),
};
