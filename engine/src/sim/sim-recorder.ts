import { BalanceTracker, byPodName, type WindowInput } from '../analysis/balance-tracker.js';
import { pointBalanceOf } from '../analysis/run-judgement.js';
import type { ErrorBreakdown, TimelinePoint } from '../core/result.js';
import { round, toSeconds } from '../core/result-numbers.js';
import { newHistogram, summarize } from '../load/histogram.js';
import type { LatencySummary } from '../load/load-report.js';
import { LatencyStage } from './latency-stage.js';
import { PodLatencies } from './pod-latencies.js';
import { POD_UP, type PodState } from './pod-state.js';

/** Failure kinds without a response (the live load generator's ErrorKind, minus "other"). */
export type SimFailure = 'connect' | 'timeout' | 'reset';
/** The failure kinds as small integers (cheap to pass on the hot path), indexes of FAILURES. */
export const FAIL_CONNECT = 0;
/** See FAIL_CONNECT. */
export const FAIL_TIMEOUT = 1;
/** See FAIL_CONNECT. */
export const FAIL_RESET = 2;
/** Names of the FAIL_* kinds, by number. */
export const FAILURES: readonly SimFailure[] = ['connect', 'timeout', 'reset'];

/** Responses staged before they are counted into the latency stages (see `answered`). */
const BATCH = 1024;

/**
 * Streams what the simulator observes into the same numbers a live run reports, with memory
 * bounded by the pods: latency counts per pod (2 significant digits, PodLatencies), for the
 * window and for the run (3 digits), in hdr-histogram's layout (LatencyStage, microseconds) and
 * summarised by load/histogram.ts; counters per pod in PodState; one TimelinePoint per window
 * scored by the same BalanceTracker a live run uses.
 *
 * Attribution follows the live recorder (load/recorder.ts): a response (any status) counts for
 * its pod and its latency is recorded; a failure without a response (connect, timeout, reset)
 * counts only in the totals.
 */
export class SimRecorder {
  // Fields set in the constructor are `declare`d: see RequestPath.
  declare readonly tracker: BalanceTracker;
  readonly timeline: TimelinePoint[] = [];
  /** What each timeline window was scored from besides its counts, to re-score merged windows. */
  private readonly scoredFrom: Array<Omit<WindowInput, 'counts'>> = [];
  readonly errors: ErrorBreakdown = { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 };
  readonly statusCodes = new Map<number, number>();
  requests = 0;
  errorCount = 0;
  dropped = 0;
  /** Responses (any status) in closed windows. */
  private responses = 0;
  private statusErrors = 0;
  declare private readonly podLatencies: PodLatencies;
  private readonly windowStage = new LatencyStage(3);
  private readonly totalStage = new LatencyStage(3);
  /** Failures without a response in the current window (responses are the window stage's count). */
  private windowFailures = 0;
  private windowErrors = 0;
  private windowStartMs = 0;
  /** Responses not yet in the stages: pod, latency (µs) pairs. */
  private readonly staged = new Int32Array(2 * BATCH);
  private stagedEnd = 0;

  declare private readonly pods: PodState;

  /** @param sharesDeclared the spec states expected shares: judged on requests (BalanceTracker). */
  constructor(pods: PodState, threshold: number, sharesDeclared = false) {
    this.pods = pods;
    const capacity = new Map(pods.names.map((name, p) => [name, pods.capacity[p]]));
    this.tracker = new BalanceTracker((name) => capacity.get(name) ?? 1, threshold, sharesDeclared);
    this.podLatencies = new PodLatencies(pods.n);
  }

  /**
   * A response from pod `p` after `us` (integer, >= 0) microseconds, with an error status when
   * `status` is not 200. The latency is staged and counted into the histograms by {@link flush}
   * in batches: two bucket counts done here made the simulator's per-response path too big for
   * V8 to inline (measured at about 350 instructions a response, against a few dozen batched).
   */
  answered(p: number, us: number, status: number): void {
    const staged = this.staged;
    const i = this.stagedEnd;
    staged[i] = p;
    staged[i + 1] = us;
    this.stagedEnd = i + 2;
    if (i + 2 === staged.length) this.flush();
    this.pods.windowCount[p]++;
    if (status !== 200) this.statusError(p, status);
  }

  /** Counts the staged responses into the window's and their pods' stages (before any of them is read). */
  private flush(): void {
    LatencyStage.countStaged(this.staged, this.stagedEnd, this.windowStage, this.podLatencies);
    this.stagedEnd = 0;
  }

  private statusError(p: number, status: number): void {
    this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + 1);
    this.pods.totalErrors[p]++;
    this.statusErrors++;
    this.errors.status++;
    this.errorCount++;
    this.windowErrors++;
  }

  /** A request that got no response. */
  failed(kind: SimFailure): void {
    this.errors[kind]++;
    this.errorCount++;
    this.windowFailures++;
    this.windowErrors++;
  }

  /**
   * Closes the window ending at `endMs` (virtual): scores it over the pods up at its end, appends
   * the TimelinePoint, and starts the next window.
   */
  closeWindow(endMs: number, inflight: number, users: number): void {
    this.flush();
    const pods = this.pods;
    const counts: Record<string, number> = {};
    const busyMs: Record<string, number> = {};
    const busySqMs: Record<string, number> = {};
    const concurrency: Record<string, number> = {};
    const eligible: string[] = [];
    for (let p = 0; p < pods.n; p++) {
      const name = pods.names[p];
      if (pods.windowCount[p] > 0) counts[name] = pods.windowCount[p];
      if (pods.state[p] === POD_UP) eligible.push(name);
      if (pods.state[p] === POD_UP || pods.windowBusy[p] > 0) {
        busyMs[name] = pods.windowBusy[p];
        busySqMs[name] = pods.windowBusySq[p];
        concurrency[name] = pods.concurrency[p];
      }
    }
    const w = this.tracker.window({ counts, eligible, busyMs, busySqMs, concurrency, windowMs: endMs - this.windowStartMs });
    this.scoredFrom.push({ eligible, busyMs, busySqMs, concurrency });
    const seconds = Math.max(1e-9, (endMs - this.windowStartMs) / 1000);
    const answered = this.windowStage.count;
    const requests = answered + this.windowFailures;
    // Only the two percentiles a TimelinePoint shows, read off the stage (hdr's rule, no replay).
    const p50 = this.windowStage.percentile(50) / 1000;
    const p99 = this.windowStage.percentile(99) / 1000;
    this.windowStage.moveInto(this.totalStage);
    this.timeline.push({
      t: round(endMs / 1000, 3),
      requests,
      errors: this.windowErrors,
      rps: round(requests / seconds, 2),
      latency: { p50: toSeconds(p50), p99: toSeconds(p99) },
      pods: counts,
      ...pointBalanceOf(w),
      inflight,
      users,
    });
    for (let p = 0; p < pods.n; p++) {
      pods.totalCount[p] += pods.windowCount[p];
      pods.totalBusy[p] += pods.windowBusy[p];
    }
    pods.windowCount.fill(0);
    pods.windowBusy.fill(0);
    pods.windowBusySq.fill(0);
    this.requests += requests;
    this.responses += answered;
    this.windowFailures = 0;
    this.windowErrors = 0;
    this.windowStartMs = endMs;
  }

  /**
   * Halves the timeline: each pair of windows becomes one window twice as long (the simulator
   * then doubles the window length), so a run longer than planned keeps a bounded timeline.
   * Counts add up exactly and the balance is scored again over the merged counts and busy time;
   * the latency of a merged window is approximate (p50 the request-weighted mean of the two,
   * p99 the larger), as percentiles do not add.
   */
  mergePairs(): void {
    const points = this.timeline.splice(0);
    const inputs = this.scoredFrom.splice(0);
    const scorer = new BalanceTracker(this.tracker.capacityOf, this.tracker.threshold, this.tracker.sharesDeclared);
    let start = 0;
    for (let i = 0; i < points.length; i += 2) {
      const a = points[i];
      const b = points[i + 1];
      const ia = inputs[i];
      if (!b) {
        this.timeline.push(a);
        this.scoredFrom.push(ia);
        break;
      }
      const ib = inputs[i + 1];
      const input: WindowInput = {
        counts: sumRecords(a.pods, b.pods),
        eligible: [...new Set([...ia.eligible, ...ib.eligible])],
        busyMs: sumRecords(ia.busyMs ?? {}, ib.busyMs ?? {}),
        busySqMs: sumRecords(ia.busySqMs ?? {}, ib.busySqMs ?? {}),
        concurrency: { ...ia.concurrency, ...ib.concurrency },
      };
      const w = scorer.window(input);
      const requests = a.requests + b.requests;
      const answered = requests > 0 ? requests : 1;
      this.timeline.push({
        t: b.t,
        requests,
        errors: a.errors + b.errors,
        rps: round(requests / Math.max(1e-9, b.t - start), 2),
        latency: { p50: round((a.latency.p50 * a.requests + b.latency.p50 * b.requests) / answered, 6), p99: Math.max(a.latency.p99, b.latency.p99) },
        pods: input.counts,
        ...pointBalanceOf(w),
        inflight: b.inflight,
        users: b.users,
      });
      const { counts: _c, ...rest } = input;
      this.scoredFrom.push(rest);
      start = b.t;
    }
  }

  /** Responses with status 200: every response that was not a status error. */
  get ok(): number {
    return this.responses - this.statusErrors;
  }

  /** Median and p99 latency of pod `p` over the run (ms, 2 significant digits). */
  podLatency(p: number): { p50: number; p99: number } {
    this.flush();
    const stage = this.podLatencies.stageOf(p);
    return { p50: stage.percentile(50) / 1000, p99: stage.percentile(99) / 1000 };
  }

  /** Latency of every response over the run (ms), from every closed window. */
  totalLatency(): LatencySummary {
    const h = newHistogram();
    this.totalStage.addTo(h);
    return summarize(h);
  }

  /** Pods to report: every pod that was ever in rotation or answered, in natural name order. */
  reportedPods(): number[] {
    const out: number[] = [];
    for (let p = 0; p < this.pods.n; p++) if (this.pods.everIn[p] === 1 || this.pods.totalCount[p] > 0) out.push(p);
    return out.sort((a, b) => byPodName(this.pods.names[a], this.pods.names[b]));
  }
}

function sumRecords(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
