import type { Verdict } from '../core/result.js';
import { BalanceTracker, type WindowBalance, type WindowInput } from './balance-tracker.js';

/** The verdict of a run's latest traffic, and how many 1 s windows it was judged over. */
export interface RecentVerdict {
  verdict: Verdict;
  windows: number;
}

/** Windows pooled at most: a judgement about the last 30 s is still about "now". */
export const RECENT_WINDOWS = 30;

/**
 * The verdict that alerts read (the `scale_imbalance` gauge): the latest window's, or, when that
 * window is too thin to judge (insufficient-data: fewer than 5 expected requests on some pod),
 * the verdict of the latest windows pooled, as few as make it judgeable. Without it a test at
 * 20 requests/s over 5 pods is never judged within a second and its imbalance never alerts, and
 * one thin window in an imbalanced run (a stall) clears the gauge and restarts the alert's `for`
 * period. Pooling cannot rescue a window whose work is one long request (Σs² keeps it): that stays
 * insufficient-data, as it should. Pure.
 *
 * Pooling sums each pod's requests (and busy time, where every pooled window has it) over the
 * span, judged over the pods eligible in the latest window with the run's capacities and
 * threshold: the same rule as a window (analysis/balance-tracker.ts), over a longer window.
 */
export class RecentBalance {
  private readonly inputs: WindowInput[] = [];

  constructor(
    private readonly judge: Pick<BalanceTracker, 'capacityOf' | 'threshold' | 'sharesDeclared'>,
    readonly maxWindows = RECENT_WINDOWS,
  ) {}

  /** Adds the latest window (`judged`: its own judgement) and returns the recent verdict. */
  push(input: WindowInput, judged: WindowBalance): RecentVerdict {
    this.inputs.push(input);
    if (this.inputs.length > this.maxWindows) this.inputs.shift();
    if (judged.verdict !== 'insufficient-data') return { verdict: judged.verdict, windows: 1 };
    const pool = new Pool(input);
    // A scratch tracker: only its one-window rule is used (a window's verdict reads no run state).
    const scorer = new BalanceTracker(this.judge.capacityOf, this.judge.threshold, this.judge.sharesDeclared);
    for (let k = 2; k <= this.inputs.length; k++) {
      pool.add(this.inputs[this.inputs.length - k]);
      const verdict = scorer.window(pool.input()).verdict;
      if (verdict !== 'insufficient-data') return { verdict, windows: k };
    }
    return { verdict: 'insufficient-data', windows: this.inputs.length };
  }
}

/** Per-pod sums over a span of windows, ending with `latest`. */
class Pool {
  private readonly counts: Record<string, number> = {};
  private busyMs: Record<string, number> | undefined = {};
  private busySqMs: Record<string, number> | undefined = {};
  private windowMs: number | undefined = 0;

  constructor(private readonly latest: WindowInput) {
    this.add(latest);
  }

  add(w: WindowInput): void {
    sumInto(this.counts, w.counts);
    // Work is compared only where every pooled window measured it.
    this.busyMs = w.busyMs && this.busyMs ? sumInto(this.busyMs, w.busyMs) : undefined;
    this.busySqMs = w.busySqMs && this.busySqMs ? sumInto(this.busySqMs, w.busySqMs) : undefined;
    this.windowMs = w.windowMs !== undefined && this.windowMs !== undefined ? this.windowMs + w.windowMs : undefined;
  }

  input(): WindowInput {
    const { eligible, concurrency } = this.latest;
    return { counts: this.counts, eligible, busyMs: this.busyMs, busySqMs: this.busySqMs, concurrency, windowMs: this.windowMs };
  }
}

function sumInto(to: Record<string, number>, from: Readonly<Record<string, number>>): Record<string, number> {
  for (const [k, v] of Object.entries(from)) to[k] = (to[k] ?? 0) + v;
  return to;
}
