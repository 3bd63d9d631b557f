import { parseDistribution, type Distribution } from '../core/distribution.js';
import { POD_DEFAULTS } from './defaults.js';

/**
 * How one pod behaves, already parsed and defaulted (runs/plan.ts turns the TestSpec's strings
 * into this). The model the lab's pod servers and the simulator's pods share, so it lives below
 * both; faults change these values on a running pod.
 */
export interface PodBehaviour {
  /** Service time of one request, drawn per request. */
  latency: Distribution;
  /** Requests served at once; the rest wait in a FIFO queue (overload shows as queueing). */
  concurrency: number;
  /** Fraction [0, 1] of requests answered with `errorStatus` instead of 200. */
  errorRate: number;
  /** Status code of injected errors. */
  errorStatus: number;
  /** Body size of a normal response, in bytes. */
  responseBytes: number;
  /**
   * Cold start: after the pod (re)starts its service times are `factor` times longer, easing
   * linearly to normal over `durationMs` (JIT, caches, pools warming). Pods of a lab's first
   * start are warm; added and restarted pods are cold. Absent: always warm.
   */
  warmup?: Warmup;
}

export interface Warmup {
  durationMs: number;
  factor: number;
}

/** Service-time multiplier `ageMs` after a cold start: `factor` at 0, 1 from `durationMs` on. */
export function warmupFactor(w: Warmup, ageMs: number): number {
  return ageMs >= w.durationMs ? 1 : w.factor - (w.factor - 1) * (Math.max(0, ageMs) / w.durationMs);
}

export const DEFAULT_POD_BEHAVIOUR: PodBehaviour = {
  latency: parseDistribution(POD_DEFAULTS.serviceTime) as Distribution,
  concurrency: POD_DEFAULTS.concurrency,
  errorRate: 0,
  errorStatus: 500,
  responseBytes: 64,
};
