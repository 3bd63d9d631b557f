import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './load-report.js';

export type { Histogram };

/**
 * Latency histograms: hdr-histogram-js, values in whole microseconds, 3 significant digits,
 * auto-resizing. The plain JS Int32 build: it records about as fast as the 64-bit one and 5x
 * faster than 'packed', and needs no WebAssembly initialisation (the library only uses WASM when
 * asked with useWebAssembly, which we never do).
 */
export function newHistogram(): Histogram {
  return build({ bitBucketSize: 32, numberOfSignificantValueDigits: 3, autoResize: true });
}

const US_PER_MS = 1000;

/**
 * Mean, p50/p90/p99 and max in milliseconds; zeros when empty (never NaN). Every value is read
 * from the buckets (max as the 100th percentile, not the exact maxValue field, which a
 * decoded histogram does not carry), so a merged histogram summarises exactly like one fed
 * every sample.
 */
export function summarize(h: Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0, count: 0 };
  return {
    mean: h.mean / US_PER_MS,
    p50: h.getValueAtPercentile(50) / US_PER_MS,
    p90: h.getValueAtPercentile(90) / US_PER_MS,
    p99: h.getValueAtPercentile(99) / US_PER_MS,
    max: h.getValueAtPercentile(100) / US_PER_MS,
    count,
  };
}

/**
 * Lossless text form for crossing a thread boundary (HdrHistogram's V2 compressed encoding, as
 * autocannon does between its workers); decode restores the same bucket counts exactly.
 */
export function encodeHistogram(h: Histogram): string {
  return encodeIntoCompressedBase64(h);
}

/** Inverse of encodeHistogram; the result auto-resizes, so more can be added to it. */
export function decodeHistogram(encoded: string): Histogram {
  const h = decodeFromCompressedBase64(encoded, 32);
  h.autoResize = true;
  return h;
}

/** Adds `from` into `into` (same value layout, so the sum is exact bucket by bucket). */
export function addHistogram(into: Histogram, from: Histogram): void {
  if (from.totalCount > 0) into.add(from);
}
