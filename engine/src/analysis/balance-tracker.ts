import { analyseBalance, utilisationBalance, type BalanceStats } from './balance.js';

/**
 * Accumulates balance over a run, window by window. Pure.
 *
 * Each window is scored over the pods eligible in that window. For the whole run a pod's
 * expected count is the sum, over the windows it was eligible in, of that window's traffic
 * times its expected share among the pods eligible then: a pod that failed for half the run,
 * or joined in a scale-up, is judged on the time it was actually in rotation.
 */
export interface WindowInput {
  /** Requests served per pod in the window (attributed requests only). */
  counts: Readonly<Record<string, number>>;
  /** Pods eligible for traffic in this window. */
  eligible: readonly string[];
  /** Busy milliseconds per pod in this window, when the target knows them. */
  busyMs?: Readonly<Record<string, number>>;
}

export interface WindowBalance extends BalanceStats {
  pods: string[];
  utilisation: number | null;
}

export class BalanceTracker {
  private readonly counts = new Map<string, number>();
  private readonly expected = new Map<string, number>();
  private readonly busy = new Map<string, number>();
  private sawBusy = false;

  /**
   * @param capacity relative capacity of a pod by name (expected share weight)
   * @param threshold Jain score threshold of the verdict
   */
  constructor(
    private readonly capacity: (pod: string) => number,
    private readonly threshold: number,
  ) {}

  /** Scores one window and folds it into the run totals. */
  window(w: WindowInput): WindowBalance {
    const pods = [...w.eligible].sort(byPodName);
    const counts = pods.map((p) => w.counts[p] ?? 0);
    const caps = pods.map((p) => this.capacity(p));
    const stats = analyseBalance(counts, caps, { threshold: this.threshold });
    const total = stats.total;
    pods.forEach((p, i) => this.expected.set(p, (this.expected.get(p) ?? 0) + total * stats.expectedShares[i]));
    for (const [p, c] of Object.entries(w.counts)) this.counts.set(p, (this.counts.get(p) ?? 0) + c);
    let utilisation: number | null = null;
    if (w.busyMs) {
      this.sawBusy = true;
      for (const [p, b] of Object.entries(w.busyMs)) this.busy.set(p, (this.busy.get(p) ?? 0) + b);
      const busy = pods.map((p) => w.busyMs?.[p] ?? 0);
      utilisation = busy.some((b) => b > 0) ? utilisationBalance(busy, caps) : null;
    }
    return { ...stats, pods, utilisation };
  }

  /** The whole run so far: every pod that was eligible at some point or served anything. */
  total(): WindowBalance & { counts: number[]; expectedCounts: number[]; busyMs: number[] } {
    const pods = [...new Set([...this.counts.keys(), ...this.expected.keys()])].sort(byPodName);
    const scored = pods.filter((p) => (this.expected.get(p) ?? 0) > 0);
    const counts = scored.map((p) => this.counts.get(p) ?? 0);
    const expectedCounts = scored.map((p) => this.expected.get(p) ?? 0);
    const stats = analyseBalance(counts, expectedCounts, { threshold: this.threshold });
    const busy = scored.map((p) => (this.busy.get(p) ?? 0) / Math.max(1e-9, this.capacity(p)));
    const utilisation = this.sawBusy && busy.some((b) => b > 0) ? utilisationBalance(busy) : null;
    return {
      ...stats,
      pods: scored,
      utilisation,
      counts,
      expectedCounts,
      busyMs: scored.map((p) => this.busy.get(p) ?? 0),
    };
  }

  /** Expected share of a pod over the run so far (0 if never eligible). */
  expectedShare(pod: string): number {
    let sum = 0;
    for (const v of this.expected.values()) sum += v;
    return sum > 0 ? (this.expected.get(pod) ?? 0) / sum : 0;
  }

  busyMs(pod: string): number | undefined {
    return this.sawBusy ? (this.busy.get(pod) ?? 0) : undefined;
  }
}

/** pod-2 before pod-10: natural order, so tables read the way pods are numbered. */
export function byPodName(a: string, b: string): number {
  return POD_ORDER(a, b);
}
// One collator for every comparison: localeCompare with options builds one per call.
const POD_ORDER = new Intl.Collator('en', { numeric: true }).compare;
