import { ImbalanceDetector } from '../analysis/detector.js';
import type { RunTick } from '../runs/run-events.js';
import type { PodObservation } from './fit-model.js';

/**
 * What the tuner keeps about one running test: the last few windows per pod (to fit a model
 * from), the lab's busy counters at each window (for exact service times) and the detector.
 */

/** Cumulative counters of one pod as the lab reports them. */
export interface PodCounterSample {
  name: string;
  served: number;
  busyMs: number;
  concurrency: number;
}

interface Window {
  pods: RunTick['pods'];
  counters?: PodCounterSample[];
}


/** Seconds at the start of a run not used for fitting. */
export const WARMUP_S = 1.05;

export class RunWatch {
  private readonly windows: Window[] = [];
  readonly detector: ImbalanceDetector;
  /** Wall-clock ms when the last tuning of this run ended (cool-down). */
  lastTunedAt = -Infinity;
  tuning = false;
  private waiters: Array<{ n: number; resolve: () => void; reject: (err: Error) => void }> = [];
  /** Set once no more windows will come (the run ended, the tuning was cancelled): waits fail with it. */
  private ended: Error | undefined;

  constructor(
    windows: number,
    /** Windows kept for fitting. */
    private readonly keep = 5,
  ) {
    this.detector = new ImbalanceDetector(windows);
  }

  /** Windows seen since the last `clear()`. */
  get size(): number {
    return this.windows.length;
  }

  /**
   * Records a window; returns true when the detector reports sustained imbalance. The first
   * second of a run is not kept for fitting: worker start-up and JIT make its latencies no
   * measure of the pods.
   */
  push(tick: RunTick, counters?: PodCounterSample[]): boolean {
    if (tick.elapsed > WARMUP_S) this.windows.push({ pods: tick.pods, counters });
    if (this.windows.length > this.keep + 1) this.windows.shift();
    this.waiters = this.waiters.filter((w) => (this.windows.length >= w.n ? (w.resolve(), false) : true));
    // The window's own verdict: judged on work where busy time is known (README "The balance score").
    return this.detector.push(tick.window.balance.verdict);
  }

  /**
   * Resolves once `n` windows were seen (after a change, older windows describe another setting);
   * rejects with the reason as soon as no more can come ({@link end}), so no wait outlives its run.
   */
  waitFor(n: number): Promise<void> {
    if (this.windows.length >= n) return Promise.resolve();
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => this.waiters.push({ n, resolve, reject }));
  }

  /** No more windows will come: every wait fails with `reason` now, and later ones at once. */
  end(reason: Error): void {
    this.ended ??= reason;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject(this.ended);
  }

  /** Forgets the windows and the detector's streak (after a change of setting). */
  clear(): void {
    this.windows.length = 0;
    this.detector.reset();
  }

  /**
   * Per-pod observations over the kept windows: requests and errors summed; p50 and p99 as the
   * request-weighted means of the windows' percentiles (an approximation: percentiles do not
   * add, but a few windows of one steady setting differ little); busy time from the difference
   * of the lab's counters over the same span, scaled to the client's count.
   */
  observations(): PodObservation[] {
    // Busy time needs the counters at the start of the span: the window before it when kept,
    // else the span starts one window later (its first window only supplies the counters).
    let ws = this.windows.slice(-this.keep);
    let first = this.windows.length > ws.length ? this.windows[this.windows.length - ws.length - 1].counters : undefined;
    if (!first && ws.length >= 2 && ws[0].counters) {
      first = ws[0].counters;
      ws = ws.slice(1);
    }
    const last = ws.at(-1)?.counters;
    const names = [...new Set(ws.flatMap((w) => w.pods.map((p) => p.name)))];
    return names.map((name) => {
      let requests = 0;
      let errors = 0;
      let p50 = 0;
      let p99 = 0;
      for (const w of ws) {
        const p = w.pods.find((x) => x.name === name);
        if (!p) continue;
        requests += p.requests;
        errors += p.errors;
        p50 += p.latency.p50 * 1000 * p.requests;
        p99 += p.latency.p99 * 1000 * p.requests;
      }
      const a = first?.find((c) => c.name === name);
      const b = last?.find((c) => c.name === name);
      const served = b && a ? b.served - a.served : 0;
      const busy = b && a && served > 0 ? ((b.busyMs - a.busyMs) / served) * requests : undefined;
      return {
        name,
        requests,
        errors,
        p50Ms: requests > 0 ? p50 / requests : 0,
        p99Ms: requests > 0 ? p99 / requests : 0,
        ...(busy !== undefined ? { busyMs: busy } : {}),
        ...(b ? { concurrency: b.concurrency } : {}),
      };
    });
  }
}
