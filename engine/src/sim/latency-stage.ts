import type { Histogram } from '../load/histogram.js';

/** Values at or above this (µs, about 35.8 minutes) are recorded as this. */
const MAX_US = 2 ** 31 - 1;

/**
 * A recording front for hdr-histogram: counts latencies (integer µs) in HdrHistogram's own
 * bucket layout, but with the index computed by integer ops (`Math.clz32`) instead of the
 * library's `Math.log2`/`Math.pow`, and no min/max/total bookkeeping. Profiling the simulator
 * showed hdr-histogram-js's `recordValue` taking about a third of the time per request (two
 * records per request); a staged record costs a few ns. Percentiles are still hdr's:
 * {@link flushInto} replays each non-empty bucket into an hdr histogram with
 * `recordValueWithCount`, and load/histogram.ts `summarize` reads it.
 *
 * Layout (HdrHistogram, Tene; lowest discernible value 1, `digits` significant decimal digits):
 * with S = 2^ceil(log2(2·10^digits)) sub-buckets (2048 for 3 digits, 256 for 2), values below S
 * are exact; above, a value with highest bit e falls in bucket e - log2(S) + 1, at sub-bucket
 * v >> (e - log2(S) + 1), i.e. a relative width of at most 2/S. With 3 digits the index is the
 * very index hdr computes, so a flushed 3-digit stage equals recording every value directly.
 * A 2-digit stage (used per pod, where 1% is plenty) is 8 times smaller; it replays each bucket
 * at its midpoint.
 */
export class LatencyStage {
  private counts: Uint32Array;
  /** log2 of the sub-bucket count S. */
  private readonly magnitude: number;
  private readonly half: number;
  private total = 0;

  /** @param digits significant decimal digits: 3 (hdr's default here) or 2 (per pod). */
  constructor(digits: 2 | 3) {
    this.magnitude = Math.ceil(Math.log2(2 * 10 ** digits));
    this.half = 1 << (this.magnitude - 1);
    this.counts = new Uint32Array(2 << this.magnitude);
  }

  /** Requests recorded since the last flush. */
  get size(): number {
    return this.total;
  }

  /** Records one latency in microseconds, truncated to an integer (negative values count as 0). */
  record(us: number): void {
    const v = us < MAX_US ? (us > 0 ? us | 0 : 0) : MAX_US;
    const m = this.magnitude;
    let index: number;
    if (v < 1 << m) index = v;
    else {
      const shift = 31 - Math.clz32(v) - m + 1;
      index = ((shift + 1) << (m - 1)) + (v >> shift) - this.half;
    }
    if (index >= this.counts.length) this.grow(index);
    this.counts[index]++;
    this.total++;
  }

  /** Adds every recorded value into `h` (each at its bucket's value) and empties the stage. */
  flushInto(h: Histogram): void {
    if (this.total === 0) return;
    const counts = this.counts;
    const m = this.magnitude;
    const exact = this.magnitude >= 11;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i];
      if (c === 0) continue;
      counts[i] = 0;
      h.recordValueWithCount(exact ? this.lowestOf(i, m) : this.middleOf(i, m), c);
    }
    this.total = 0;
  }

  /** Lowest value of bucket index `i` (the inverse of the index formula). */
  private lowestOf(i: number, m: number): number {
    if (i < 1 << m) return i;
    const shift = (i >> (m - 1)) - 1;
    return ((i & (this.half - 1)) + this.half) * 2 ** shift;
  }

  private middleOf(i: number, m: number): number {
    if (i < 1 << m) return i;
    const shift = (i >> (m - 1)) - 1;
    return this.lowestOf(i, m) + Math.floor(2 ** shift / 2);
  }

  private grow(index: number): void {
    let size = this.counts.length;
    while (size <= index) size += this.half;
    const next = new Uint32Array(size);
    next.set(this.counts);
    this.counts = next;
  }
}
