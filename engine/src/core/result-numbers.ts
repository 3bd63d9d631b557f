import type { LatencySeconds } from './result.js';

/**
 * How a Result writes its numbers, for every Result maker (a live run, a simulation, a result
 * rebuilt from stored windows): times in seconds rounded to the µs, rates to two decimals.
 */

/** `v` rounded to `digits` decimals. */
export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Milliseconds as a Result's seconds (rounded to the µs). */
export const toSeconds = (ms: number): number => round(ms / 1000, 6);

/** A latency summary in ms as a Result's latency in seconds; none is all zeros. */
export function latencySeconds(l: Readonly<LatencySeconds> | undefined): LatencySeconds {
  return { mean: toSeconds(l?.mean ?? 0), p50: toSeconds(l?.p50 ?? 0), p90: toSeconds(l?.p90 ?? 0), p99: toSeconds(l?.p99 ?? 0), max: toSeconds(l?.max ?? 0) };
}
