import type { Random } from '../core/random.js';
import type { PickRequest, PodView } from './policy.js';

/**
 * Attempts per candidate in the rejection-sampling fast path before falling back to a scan.
 * With all pods healthy and d much smaller than n a draw almost never fails, so sampling is
 * O(d); with many pods unhealthy (or d close to the healthy count) the fallback keeps the
 * worst case O(n).
 */
const TRIES_PER_CANDIDATE = 8;

// Health is tested with `=== true` (the same for a boolean): V8 cannot tell that a field holds a
// boolean, and a bare `if (pod.healthy)` compiles to a full ToBoolean, several times per pick.

/**
 * Draws up to `d` distinct healthy pod indices, uniformly without replacement and in uniformly
 * random order, reusing its buffers so that a draw allocates nothing (the simulator calls this
 * tens of millions of times).
 *
 * Why the order matters: callers pick the lowest-cost candidate keeping the *first* one on a
 * tie; since the order is a uniform random permutation, that breaks ties uniformly at random
 * without extra random draws.
 *
 * Why the result stays exactly uniform although two methods mix: each candidate, given those
 * already drawn, is uniform over the remaining healthy pods whether it came from a successful
 * rejection draw (each draw is uniform over [0, n)) or from the Fisher–Yates fallback.
 * (Fisher–Yates: Knuth, TAOCP vol. 2, Algorithm 3.4.2P; the partial shuffle is what
 * ingress-nginx's ewma.lua `shuffle_peers` does for its k candidates.)
 */
export class DistinctSampler {
  /** Indices drawn by the last {@link sample} call, valid in `[0, count)`. */
  chosen = new Int32Array(4);
  private marks = new Uint32Array(16);
  private epoch = 0;
  private pool = new Int32Array(16);

  /** Fills `chosen` with min(d, healthy count) indices and returns that count (0: none healthy). */
  sample(pods: readonly PodView[], d: number, random: Random): number {
    const n = pods.length;
    if (n === 0) return 0;
    // At most min(d, n) indices are ever drawn.
    if (this.chosen.length < d && this.chosen.length < n) this.chosen = new Int32Array(Math.max(Math.min(d, n), this.chosen.length * 2));
    const chosen = this.chosen;
    let k = 0;
    if (d < n) {
      // "Already drawn" is a scan of `chosen` (d is small, at most 16 in a spec): no marks to
      // reset per call on this path, which the simulator takes millions of times.
      let tries = 0;
      draw: while (k < d && tries < TRIES_PER_CANDIDATE) {
        const i = Math.floor(random.next() * n);
        tries++;
        if (pods[i].healthy !== true) continue;
        for (let j = 0; j < k; j++) if (chosen[j] === i) continue draw;
        chosen[k++] = i;
        tries = 0;
      }
      if (k === d) return k;
    }
    return this.scanRest(pods, d, k, random);
  }

  /** O(n) fallback: partial Fisher–Yates over the healthy pods not drawn yet. */
  private scanRest(pods: readonly PodView[], d: number, k: number, random: Random): number {
    const epoch = this.mark(pods.length, k);
    const pool = this.pool;
    const marks = this.marks;
    let m = 0;
    for (let i = 0; i < pods.length; i++) {
      if (pods[i].healthy === true && marks[i] !== epoch) pool[m++] = i;
    }
    // `sample` sized `chosen` for min(d, n) >= k + need.
    const need = Math.min(d - k, m);
    for (let j = 0; j < need; j++) {
      const r = j + Math.floor(random.next() * (m - j));
      const picked = pool[r];
      pool[r] = pool[j];
      pool[j] = picked;
      this.chosen[k++] = picked;
    }
    return k;
  }

  /** Starts a new generation of marks (a mark means "already drawn") and marks `chosen[0, k)`; returns the generation. */
  private mark(n: number, k: number): number {
    if (this.marks.length < n) {
      this.marks = new Uint32Array(Math.max(n, this.marks.length * 2));
      this.pool = new Int32Array(this.marks.length);
      this.epoch = 0;
    }
    if (this.epoch === 0xffffffff) {
      this.marks.fill(0);
      this.epoch = 0;
    }
    const epoch = ++this.epoch;
    for (let j = 0; j < k; j++) this.marks[this.chosen[j]] = epoch;
    return epoch;
  }
}

/**
 * Index of the first healthy pod at or after `start`, wrapping around; -1 when none is healthy.
 */
export function nextHealthy(pods: readonly PodView[], start: number): number {
  const n = pods.length;
  for (let j = 0; j < n; j++) {
    const i = start + j < n ? start + j : start + j - n;
    if (pods[i].healthy === true) return i;
  }
  return -1;
}

/**
 * Base of the policies that scan the pods from a rotating cursor (round-robin,
 * least-connections): the scan starts just after the previous pick, so equal candidates take
 * turns. When the pods array shrank, the cursor is taken modulo the new length.
 */
export abstract class RotatingScan {
  private cursor = 0;

  pick(pods: readonly PodView[], _request: PickRequest): number {
    const n = pods.length;
    if (n === 0) return -1;
    const i = this.scan(pods, this.cursor < n ? this.cursor : this.cursor % n);
    if (i >= 0) this.cursor = i + 1;
    return i;
  }

  /** The chosen index scanning from `start` (in [0, n)), or -1 when none is healthy. */
  protected abstract scan(pods: readonly PodView[], start: number): number;
}
