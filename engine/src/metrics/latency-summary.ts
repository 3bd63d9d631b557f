/** A latency value in seconds and how many requests took it. */
export type LatencyCount = readonly [seconds: number, count: number];

/**
 * Turns one window's summary of one pod (request count, p50, p99 in seconds) into weighted
 * observations: ⌈n/2⌉ at p50 and the rest at p99.
 *
 * Why this placement: with only two quantiles known, the true cumulative count at a bucket
 * bound b is somewhere in [0, n/2) below p50, in [n/2, 0.99n) between p50 and p99, and in
 * [0.99n, n] from p99 on. Putting the mass on the two quantiles keeps every bucket inside that
 * range, and makes Prometheus' histogram_quantile(0.5) and (0.99) select the buckets holding
 * the true p50 and p99. It invents nothing in between: quantiles other than those two lean
 * towards p99, the tail above p99 (≤ 1%) is counted at p99, and `_sum` becomes n·(p50+p99)/2.
 * Feed real samples (EngineMetrics.observeLatencies) whenever they are available instead.
 */
export function latencyFromSummary(n: number, p50: number, p99: number): LatencyCount[] {
  if (!(n > 0) || !Number.isFinite(p50) || !Number.isFinite(p99)) return [];
  const atP50 = Math.ceil(n / 2);
  const rest = n - atP50;
  // Quantiles of one histogram are ordered; guard anyway so a bad summary cannot invert them.
  const hi = Math.max(p50, p99);
  return rest > 0 ? [[p50, atP50], [hi, rest]] : [[p50, atP50]];
}
