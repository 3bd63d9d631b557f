/**
 * Shared counters between the lab's worker threads and the controller. Each pod (and the proxy's
 * view of each pod) owns a small Float64Array over a SharedArrayBuffer: the worker is the only
 * writer, the controller reads it whenever it wants without a message round-trip. Float64 holds
 * integers exactly up to 2^53 and sub-millisecond busy time; aligned 8-byte stores do not tear on
 * the 64-bit platforms Node supports, and a stats reader tolerates a value one update behind.
 */

/** Slots written by a pod worker. */
export const POD_SLOT = {
  /** Responses sent to normal (non-health) requests. */
  served: 0,
  /** Of those, responses with status >= 400 (injected errors, overrides, malformed overrides). */
  errors: 1,
  /**
   * Sum over requests of their service time (not queueing), ms: the delay the pod drew for each,
   * not the timer's elapsed time, which a loaded host stretches unevenly across pod threads.
   */
  busyMs: 2,
  /** Requests in service right now. */
  inService: 3,
  /** Requests waiting for a service slot right now. */
  queued: 4,
  /** 1 while the pod's server is listening. */
  up: 5,
  /** The behaviour's current concurrency limit (for utilisation = busy / (limit × time)). */
  concurrency: 6,
  /** Connections reset by a connection-reset fault instead of answered. */
  resets: 7,
  /** Sum over requests of the squared service time, ms²: the noise of busy time (analysis/balance.ts). */
  busySqMs: 8,
} as const;

/** Slots written by the proxy worker, one array per pod. */
export const PROXY_SLOT = {
  /** Requests (L7) or connections (L4) the proxy has open to the pod. */
  inflight: 0,
  /** Requests (L7) or connections (L4) sent to the pod. */
  forwarded: 1,
  /** Failed upstream connects/requests (transport errors, not HTTP error statuses). */
  failures: 2,
  /** 1 while the pod is in rotation, 0 while ejected. */
  healthy: 3,
} as const;

const SLOTS = 9;

/** A zeroed counter array that can be posted to a worker and still be shared. */
export function sharedCounters(): Float64Array {
  return new Float64Array(new SharedArrayBuffer(SLOTS * Float64Array.BYTES_PER_ELEMENT));
}
