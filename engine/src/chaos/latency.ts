import { parseDistribution, type Distribution } from '../core/distribution.js';
import type { FaultDefinition } from './fault.js';
import { podLayerFault } from './pod-layer.js';

/**
 * Latency: `delay` (a fixed duration or a distribution: `200ms`, `exp:50ms`, `uniform:10ms,1s`)
 * is added to `fraction` of the requests reaching the chosen pods, before they are served, as a
 * sidecar's fault delay would (Envoy's fault filter): the pod's own service time is unchanged.
 */
export const latencyFault: FaultDefinition<'latency'> = {
  type: 'latency',
  targets: 'existing',
  presets: {
    low: { delay: '50ms', fraction: 1 },
    medium: { delay: '200ms', fraction: 1 },
    high: { delay: '1s', fraction: 1 },
  },
  create: (pods, p) => podLayerFault(pods, { delay: { latency: distribution(p.delay), fraction: p.fraction } }),
};

function distribution(text: string): Distribution {
  const d = parseDistribution(text);
  // The schema validated it; a failure here is a programming error.
  if (typeof d === 'string') throw new RangeError(d);
  return d;
}
