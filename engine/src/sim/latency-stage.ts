import type { Histogram } from '../load/histogram.js';
import type { PodLatencies } from './pod-latencies.js';

// Read once: inside a vm context (jest) every global lookup on a hot path is slow.
const clz32 = Math.clz32;

/** Values at or above this (µs, about 35.8 minutes) are recorded as this. */
export const MAX_US = 2 ** 31 - 1;

/**
 * A recording front for hdr-histogram: counts latencies (integer µs) in HdrHistogram's own
 * bucket layout, but with the index computed by integer ops (`Math.clz32`) instead of the
 * library's `Math.log2`/`Math.pow`, and no min/max/total bookkeeping. Profiling the simulator
 * showed hdr-histogram-js's `recordValue` taking about half of the time per request (two
 * records per request); a staged record costs a few ns. Percentiles are still hdr's:
 * {@link addTo} replays each non-empty bucket into an hdr histogram with
 * `recordValueWithCount`, whose percentiles (load/histogram.ts `summarize`) are then read.
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
  // Fields set in the constructor are `declare`d: see RequestPath.
  declare private counts: Uint32Array;
  /** log2 of the sub-bucket count S. */
  declare private readonly magnitude: number;
  declare private readonly half: number;
  /** Values recorded (and not moved out). */
  count = 0;
  declare private readonly halfMagnitude: number;
  /** Values below this are their own bucket (S). */
  declare private readonly exactBelow: number;
  /** 32 - log2(S): `shiftBase - clz32(v)` is the bucket of v (31 - clz32(v) - log2(S) + 1). */
  declare private readonly shiftBase: number;

  /** @param digits significant decimal digits: 3 (hdr's default here) or 2 (per pod). */
  constructor(digits: 2 | 3) {
    this.magnitude = Math.ceil(Math.log2(2 * 10 ** digits));
    this.half = 1 << (this.magnitude - 1);
    this.halfMagnitude = this.magnitude - 1;
    this.exactBelow = 1 << this.magnitude;
    this.shiftBase = 32 - this.magnitude;
    this.counts = new Uint32Array(2 << this.magnitude);
  }

  /** Records one latency in microseconds, truncated to an integer (below 1 counts as 0). */
  record(us: number): void {
    const v = us < MAX_US ? us | 0 : MAX_US;
    let index = v;
    if (v >= this.exactBelow) {
      const shift = this.shiftBase - clz32(v);
      index = ((shift + 1) << this.halfMagnitude) + (v >> shift) - this.half;
    }
    this.add(index);
  }

  /**
   * Counts the responses staged in `staged[0, end)` as (pod, µs) pairs: each latency into
   * `window` (3 digits) and into its pod's counts in `pods` (2 digits). The simulator's
   * per-response recording, as one loop here, where the index formulas are this module's own
   * (an imported binding is re-checked on every use).
   */
  static countStaged(staged: Int32Array, end: number, window: LatencyStage, pods: PodLatencies): void {
    for (let i = 0; i < end; i += 2) {
      const us = staged[i + 1];
      const v = us < MAX_US ? us : MAX_US;
      window.add(index3(v));
      pods.add(staged[i], index2(v));
    }
  }

  /** A stage holding `counts` (bucket counts in the layout of `digits`). */
  static ofCounts(digits: 2 | 3, counts: Uint32Array): LatencyStage {
    const stage = new LatencyStage(digits);
    if (stage.counts.length < counts.length) stage.counts = new Uint32Array(counts.length);
    stage.counts.set(counts);
    for (let i = 0; i < counts.length; i++) stage.count += counts[i];
    return stage;
  }

  /** Counts one value at bucket `index` (from {@link index3} / {@link index2}: the hot path). */
  add(index: number): void {
    const counts = this.counts;
    if (index < counts.length) counts[index]++;
    else this.grow(index);
    this.count++;
  }

  /**
   * The value at percentile `q` (0 < q <= 100) with hdr-histogram's own rule
   * (`getValueAtPercentile`): the highest value equivalent to the first bucket at which the
   * running count reaches ceil(q% of the total), so a 3-digit stage answers exactly what hdr
   * would, without replaying into it. 0 when empty.
   */
  percentile(q: number): number {
    if (this.count === 0) return 0;
    const fp = (Math.min(q, 100) / 100) * this.count;
    // hdr subtracts one ulp before rounding up, so that fp error cannot skip a count.
    const want = Math.max(Math.ceil(fp - fp * Number.EPSILON), 1);
    const counts = this.counts;
    let running = 0;
    for (let i = 0; i < counts.length; i++) {
      running += counts[i];
      if (running >= want) return this.lowestOf(i, this.magnitude) + this.widthOf(i, this.magnitude) - 1;
    }
    return 0;
  }

  /** Replays every recorded value into `h`, each at its bucket's value (the stage is unchanged). */
  addTo(h: Histogram): void {
    const counts = this.counts;
    const m = this.magnitude;
    const exact = m >= 11;
    for (let i = 0; i < counts.length; i++) {
      const c = counts[i];
      if (c !== 0) h.recordValueWithCount(exact ? this.lowestOf(i, m) : this.middleOf(i, m), c);
    }
  }

  /** Adds this stage's counts into `other` (same digits) and empties this one. */
  moveInto(other: LatencyStage): void {
    other.count += this.count;
    this.count = 0;
    const from = this.counts;
    if (other.counts.length < from.length) other.grow(from.length - 1, 0);
    const to = other.counts;
    for (let i = 0; i < from.length; i++) {
      if (from[i] !== 0) {
        to[i] += from[i];
        from[i] = 0;
      }
    }
  }

  /** Lowest value of bucket index `i` (the inverse of the index formula). */
  private lowestOf(i: number, m: number): number {
    if (i < 1 << m) return i;
    const shift = (i >> (m - 1)) - 1;
    return ((i & (this.half - 1)) + this.half) * 2 ** shift;
  }

  private middleOf(i: number, m: number): number {
    return this.lowestOf(i, m) + Math.floor(this.widthOf(i, m) / 2);
  }

  /** How many values share bucket index `i`. */
  private widthOf(i: number, m: number): number {
    return i < 1 << m ? 1 : 2 ** ((i >> (m - 1)) - 1);
  }

  /** Grows the counts to hold `index` (bucket by bucket, as hdr's autoResize) and adds `count` there. */
  private grow(index: number, count = 1): void {
    let size = this.counts.length;
    // Two buckets beyond the one needed: latencies creep up, and each grow copies the array.
    while (size <= index + 2 * this.half) size += this.half;
    const next = new Uint32Array(size);
    next.set(this.counts);
    next[index] += count;
    this.counts = next;
  }
}

/**
 * Bucket index of `us` (an integer in [0, 2^31)) in a 3-digit stage: record()'s formula with
 * its constants folded (S = 2048), so the simulator computes it once per request.
 */
export function index3(us: number): number {
  if (us < 2048) return us;
  const lz = clz32(us);
  return ((22 - lz) << 10) + (us >> (21 - lz)) - 1024;
}

/** The same for a 2-digit stage (S = 256). */
export function index2(us: number): number {
  if (us < 256) return us;
  const lz = clz32(us);
  return ((25 - lz) << 7) + (us >> (24 - lz)) - 128;
}
