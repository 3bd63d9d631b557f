/**
 * The latency histogram buckets, shared by the load generator (which counts every response into
 * them as it arrives) and the Prometheus histogram `scale_request_duration_seconds` (which exports
 * them): counting at the source is what makes the exported histogram exact.
 */

/**
 * Finite upper bounds in seconds, increasing; `+Inf` is implicit. 0.5 ms (loopback lab pods) to
 * 10 s (a stalled pod behind a timeout); fourteen bounds keep a series at 17 lines, which bounds
 * the scrape size at 100 pods.
 */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One pod's latency in one window: non-cumulative counts per bucket (the last is `+Inf`), and the sum in seconds. */
export interface BucketCounts {
  counts: ArrayLike<number>;
  sum: number;
}

const BOUNDS_US = Float64Array.from(LATENCY_BUCKETS, (s) => Math.round(s * 1e6));

/** Number of slots of a count array: one per bound plus `+Inf`. */
export const BUCKET_SLOTS = BOUNDS_US.length + 1;

/** The slot of a latency in µs under Prometheus' `le` rule (a value on a bound counts in that bucket). */
export function bucketSlot(us: number): number {
  // A linear scan: most latencies fall in the first few buckets, and it is branch-predictable.
  let i = 0;
  while (i < BOUNDS_US.length && us > BOUNDS_US[i]) i++;
  return i;
}
