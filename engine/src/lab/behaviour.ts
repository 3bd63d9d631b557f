import type { Distribution } from '../core/distribution.js';

/**
 * How one lab pod behaves, already parsed and defaulted (the spec layer turns the TestSpec's
 * strings into this). Faults (a later issue) change these values on a running pod.
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
}

export const DEFAULT_POD_BEHAVIOUR: PodBehaviour = {
  latency: { kind: 'exp', meanMs: 5 },
  concurrency: 64,
  errorRate: 0,
  errorStatus: 500,
  responseBytes: 64,
};

/** Hard caps on per-request overrides from the query string, so no request can pin a pod. */
export const OVERRIDE_CAPS = {
  maxDelayMs: 10_000,
  maxResponseBytes: 1_048_576,
} as const;
