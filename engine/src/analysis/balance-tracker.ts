import { analyseBalance, type BalanceStats } from './balance.js';

/**
 * Accumulates balance over a run, window by window, and judges it on one basis (README "The
 * balance score"): the pods' work (busy time per service slot) where the target reports busy
 * time, else their requests against expected shares. Pure.
 *
 * Each window is scored over the pods eligible in that window. For the whole run a pod's
 * expected count (and expected busy time) is the sum, over the windows it was eligible in, of
 * that window's total times its expected share among the pods eligible then: a pod that failed
 * for half the run, or joined in a scale-up, is judged on the time it was actually in rotation.
 */
export interface WindowInput {
  /** Requests served per pod in the window (attributed requests only). */
  counts: Readonly<Record<string, number>>;
  /** Pods eligible for traffic in this window. */
  eligible: readonly string[];
  /** Busy milliseconds per pod in this window, when the target knows them. */
  busyMs?: Readonly<Record<string, number>>;
  /**
   * Sum of squared service times (ms²) per pod in this window, when the target knows them; else
   * estimated as for exponential service times (Σs² ≈ 2·busy²/requests).
   */
  busySqMs?: Readonly<Record<string, number>>;
  /** Requests a pod serves at once (default 1): work is compared per service slot. */
  concurrency?: Readonly<Record<string, number>>;
  /** Length of the window in ms: the time each eligible pod was in rotation (per-pod utilisation). */
  windowMs?: number;
}

/** What the verdict was judged on. */
export type BalanceBasis = 'utilisation' | 'requests';

/**
 * A window's (or the run's) balance: the statistics of the basis it was judged on, with
 * `shares`/`expectedShares`/`total` always those of requests, and both scores side by side.
 */
export interface WindowBalance extends BalanceStats {
  pods: string[];
  basis: BalanceBasis;
  /** Jain score of requests against expected shares. */
  requestScore: number;
  /** Jain score of busy time per service slot; null when the target does not report busy time. */
  utilisation: number | null;
}

export class BalanceTracker {
  private readonly counts = new Map<string, number>();
  private readonly expected = new Map<string, number>();
  private readonly busy = new Map<string, number>();
  private readonly eligibleMs = new Map<string, number>();
  private readonly expectedBusy = new Map<string, number>();
  private sumSquares = 0;
  private sawBusy = false;

  /**
   * @param capacity relative capacity of a pod by name (expected share of requests)
   * @param threshold Jain score threshold of the verdict
   * @param sharesDeclared the spec states expected shares (`expect.capacity`): judge requests
   *   against them even where busy time is known (the user said what the split should be)
   */
  constructor(
    readonly capacityOf: (pod: string) => number,
    readonly threshold: number,
    readonly sharesDeclared = false,
  ) {}

  /** Scores one window and folds it into the run totals. */
  window(w: WindowInput): WindowBalance {
    const pods = [...w.eligible].sort(byPodName);
    const counts = pods.map((p) => w.counts[p] ?? 0);
    const byRequests = analyseBalance(counts, pods.map((p) => this.capacityOf(p)), { threshold: this.threshold });
    pods.forEach((p, i) => add(this.expected, p, byRequests.total * byRequests.expectedShares[i]));
    for (const [p, c] of Object.entries(w.counts)) add(this.counts, p, c);
    if (w.windowMs !== undefined && w.windowMs > 0) for (const p of pods) add(this.eligibleMs, p, w.windowMs);
    let byWork: BalanceStats | undefined;
    if (w.busyMs) {
      this.sawBusy = true;
      for (const [p, b] of Object.entries(w.busyMs)) add(this.busy, p, b);
      const busy = pods.map((p) => w.busyMs?.[p] ?? 0);
      const slots = pods.map((p) => slotsOf(w.concurrency, p));
      const q = sumSquaresOf(pods, busy, byRequests.total, w.busySqMs);
      byWork = analyseBalance(busy, slots, { threshold: this.threshold, sumSquares: q });
      if (byWork.total > 0) {
        this.sumSquares += q;
        pods.forEach((p, i) => add(this.expectedBusy, p, byWork!.total * byWork!.expectedShares[i]));
      }
    }
    return judge(pods, byRequests, byWork, this.sharesDeclared);
  }

  /**
   * The whole run so far: every pod that was eligible at some point or served anything.
   * `roster`: for a target that cannot tell when its pods were eligible (a URL), the pods to
   * judge as eligible for the whole run (each expected to take its capacity's share of all requests).
   */
  total(roster?: readonly string[]): WindowBalance & { counts: number[]; expectedCounts: number[]; busyMs: number[] } {
    if (roster) return this.totalOver(roster);
    const pods = [...new Set([...this.counts.keys(), ...this.expected.keys()])].sort(byPodName);
    const scored = pods.filter((p) => (this.expected.get(p) ?? 0) > 0);
    const counts = scored.map((p) => this.counts.get(p) ?? 0);
    const expectedCounts = scored.map((p) => this.expected.get(p) ?? 0);
    const byRequests = analyseBalance(counts, expectedCounts, { threshold: this.threshold });
    const busy = scored.map((p) => this.busy.get(p) ?? 0);
    const byWork =
      this.sawBusy && this.sumSquares > 0
        ? analyseBalance(busy, scored.map((p) => this.expectedBusy.get(p) ?? 0), { threshold: this.threshold, sumSquares: this.sumSquares })
        : undefined;
    return { ...judge(scored, byRequests, byWork, this.sharesDeclared), counts, expectedCounts, busyMs: busy };
  }

  private totalOver(roster: readonly string[]): WindowBalance & { counts: number[]; expectedCounts: number[]; busyMs: number[] } {
    const pods = [...roster].sort(byPodName);
    const counts = pods.map((p) => this.counts.get(p) ?? 0);
    const byRequests = analyseBalance(counts, pods.map((p) => this.capacityOf(p)), { threshold: this.threshold });
    const expectedCounts = byRequests.expectedShares.map((e) => e * byRequests.total);
    return { ...judge(pods, byRequests, undefined, true), counts, expectedCounts, busyMs: pods.map((p) => this.busy.get(p) ?? 0) };
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

  /**
   * A pod's utilisation: its busy time per service slot over the time it was eligible. The
   * per-pod figure of the same definition the run's utilisation score compares (busy time per
   * slot, judged on the windows a pod was in rotation), so the table and the score agree for a
   * pod that joined or failed half-way. Undefined when busy time or window lengths are unknown.
   */
  utilisation(pod: string, slots = 1): number | undefined {
    const ms = this.eligibleMs.get(pod);
    if (!this.sawBusy || ms === undefined || ms <= 0) return undefined;
    return (this.busy.get(pod) ?? 0) / (ms * Math.max(1, slots));
  }
}

/**
 * The one choice of basis (README "The balance score"): work when busy time was measured and the
 * spec declared no expected shares, else requests. No response attributed to any pod is no-data
 * whatever the busy counters say.
 */
function judge(pods: string[], byRequests: BalanceStats, byWork: BalanceStats | undefined, sharesDeclared: boolean): WindowBalance {
  const work = !sharesDeclared && byWork !== undefined && byWork.total > 0 && byRequests.total > 0 ? byWork : undefined;
  const basisStats = work ?? byRequests;
  return {
    ...byRequests,
    score: basisStats.score,
    cov: basisStats.cov,
    maxMean: basisStats.maxMean,
    hottest: basisStats.hottest,
    chiSquare: basisStats.chiSquare,
    df: basisStats.df,
    chiSquareP: basisStats.chiSquareP,
    // Too few requests is too few whatever the busy time says (busy time is read a moment after
    // the requests were counted, so a window's sliver of requests may come with more work).
    verdict: work && byRequests.verdict === 'insufficient-data' ? 'insufficient-data' : basisStats.verdict,
    pods,
    basis: work ? 'utilisation' : 'requests',
    requestScore: byRequests.score,
    utilisation: byWork !== undefined && byWork.total > 0 ? byWork.score : null,
  };
}

/**
 * Σ of squared service times over the window's pods: reported, else estimated as for
 * exponential service times (E[S²] = 2·E[S]², so Σs² ≈ 2·busy²/requests).
 */
function sumSquaresOf(pods: string[], busy: number[], requests: number, reported: Readonly<Record<string, number>> | undefined): number {
  const total = busy.reduce((a, b) => a + b, 0);
  if (reported && pods.every((p) => reported[p] !== undefined)) {
    const q = pods.reduce((a, p) => a + reported[p], 0);
    if (q > 0) return q;
  }
  return requests > 0 ? (2 * total * total) / requests : total;
}

function slotsOf(concurrency: Readonly<Record<string, number>> | undefined, pod: string): number {
  const c = concurrency?.[pod];
  return c !== undefined && c > 0 ? c : 1;
}

function add(m: Map<string, number>, k: string, v: number): void {
  m.set(k, (m.get(k) ?? 0) + v);
}

/** pod-2 before pod-10: natural order, so tables read the way pods are numbered. */
export function byPodName(a: string, b: string): number {
  return POD_ORDER(a, b);
}
// One collator for every comparison: localeCompare with options builds one per call.
const POD_ORDER = new Intl.Collator('en', { numeric: true }).compare;
