import type { FaultDefinition } from './fault.js';
import { podLayerFault } from './pod-layer.js';

/**
 * Errors: `rate` of the requests reaching the chosen pods are answered with `status` at once,
 * without being served (Envoy's fault abort). The pods' own error rate is unchanged.
 */
export const errorsFault: FaultDefinition<'errors'> = {
  type: 'errors',
  targets: 'existing',
  presets: {
    low: { rate: 0.05, status: 500 },
    medium: { rate: 0.2, status: 500 },
    high: { rate: 0.5, status: 503 },
  },
  create: (pods, p) => podLayerFault(pods, { abort: { rate: p.rate, status: p.status } }),
};
