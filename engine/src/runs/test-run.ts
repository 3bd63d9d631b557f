import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { BalanceTracker, byPodName } from '../analysis/balance-tracker.js';
import { RecentBalance } from '../analysis/recent-balance.js';
import { balanceResultOf, judgeRun } from '../analysis/run-judgement.js';
import { thresholdSpecOf } from '../analysis/thresholds.js';
import type { FaultManager } from '../chaos/fault-manager.js';
import { runFaultsFor, type RunFaults } from '../chaos/run-faults.js';
import { durationMs } from '../core/duration.js';
import { ScaleError } from '../core/errors.js';
import type { PodResult, Result, RunStatus, TimelineEvent, TimelinePoint } from '../core/result.js';
import { latencySeconds, round, toSeconds } from '../core/result-numbers.js';
import { UNKNOWN_POD, type LoadReport, type LoadTick, type WindowLatency } from '../load/load-report.js';
import { rosterOf, type Roster } from '../targets/declared-pods.js';
import type { Target, TargetEvent, TargetPod } from '../targets/target.js';
import type { TestSpec } from '../spec/test-spec.js';
import { capacityOf, planLoad, type LoadPlan } from './plan.js';
import type { RunEvents, RunProblem, RunTick } from './run-events.js';
import { attributed, declaredOf, errorTotal, podsOfWindow, timelinePoint, windowSeconds, workersOf } from './run-result.js';

/** The slice of the load generator a run uses (injected so tests can drive a run by hand). */
export interface LoadHandle {
  /** `latency` is absent when the load has no per-window histograms (a scripted test load). */
  on(event: 'tick', listener: (t: LoadTick, latency?: WindowLatency) => void): unknown;
  /** A worker process of a distributed load went away (never emitted by loads in one process). */
  on(event: 'worker-lost', listener: (l: { index: number; atMs: number; reason: string }) => void): unknown;
  done: Promise<LoadReport>;
  stop(): void;
}

export interface RunDeps {
  /** `runId`: what objects the target creates are labelled with (Kubernetes). */
  openTarget(spec: TestSpec, runId?: string): Promise<Target>;
  /** Checks that must pass before a run is created (the allow-list); throws a ScaleError. */
  preflight?(spec: TestSpec): Promise<void>;
  /** `runId` names what a distributed load creates (its worker Job). */
  startLoad(url: string, podHeader: string, plan: LoadPlan, runId?: string): LoadHandle;
  /** Wall clock for timestamps. */
  now?: () => Date;
  /** The engine's faults (lists and API injection span runs); a run without one gets its own. */
  faults?: FaultManager;
}

/**
 * One test run: opens the target, drives the load, scores every window and the whole run,
 * and emits `status`, `tick` and `done`. Presentation (CLI, API, metrics, store) subscribes.
 */
export class TestRun extends EventEmitter<RunEvents> {
  readonly id: string;
  status: RunStatus = 'starting';
  private target?: Target;
  private load?: LoadHandle;
  private faults?: RunFaults;
  private readonly tracker: BalanceTracker;
  /** The verdict alerts read: the window's, or the latest windows' pooled when it is too thin. */
  private readonly recent: RecentBalance;
  private readonly timeline: TimelinePoint[] = [];
  private readonly events: TimelineEvent[] = [];
  /** Requests per pod as the target counted them (targets without a pod header). */
  private readonly targetCounts = new Map<string, number>();
  private unsubscribe?: () => void;
  private readonly lastBusy = new Map<string, number>();
  private readonly lastBusySq = new Map<string, number>();
  private readonly concurrency = new Map<string, number>();
  private stopRequested = false;
  private ticks: Promise<void> = Promise.resolve();
  private startedAt: Date;
  private result?: Result;
  readonly finished: Promise<Result>;
  private resolveFinished!: (r: Result) => void;

  constructor(
    readonly spec: TestSpec,
    private readonly deps: RunDeps,
    id?: string,
  ) {
    super();
    this.id = id ?? randomUUID();
    this.tracker = new BalanceTracker(capacityOf(spec), spec.thresholds.balance, spec.expect !== undefined);
    this.recent = new RecentBalance(this.tracker);
    this.startedAt = this.now();
    this.finished = new Promise((r) => (this.resolveFinished = r));
  }

  /** The opened target (undefined before start and after a failed open). */
  get openedTarget(): Target | undefined {
    return this.target;
  }

  /** Expected length of the load in seconds. */
  get expectedDuration(): number {
    const l = this.spec.load;
    const ms = l.model === 'open' ? l.stages.reduce((a, s) => a + durationMs(s.duration), 0) : durationMs(l.duration);
    return ms / 1000;
  }

  /** Opens the target and starts the load; resolves once traffic flows. Never throws: failures end the run. */
  async start(): Promise<void> {
    try {
      this.target = await this.deps.openTarget(this.spec, this.id);
      // A URL lists no pods: it is judged on its declared pods and those that answer.
      this.byRoster = this.target.kind === 'url';
      this.unsubscribe = this.target.onEvent?.((e) => this.note(e));
      this.faults = runFaultsFor(this, this.target, this.deps.faults, (e) => this.emit('fault', e));
      // Faults at 0 are in place before the first request, so they hold for the whole load.
      await this.faults?.applyInitial();
      if (this.stopRequested) throw new ScaleError('conflict', 'stopped before it started');
      this.startedAt = this.now();
      this.load = this.deps.startLoad(this.target.url, this.target.podHeader, planLoad(this.spec), this.id);
      this.setStatus('running');
      this.load.on('worker-lost', (l) => this.note({ at: this.startedAt.getTime() + l.atMs, kind: 'worker-lost', worker: l.index, message: l.reason }));
      this.faults?.schedule(this.startedAt.getTime());
      // Ticks are scored one after another (reading pod state is async) and before the result.
      this.load.on('tick', (t, latency) => {
        // One failed window must not stop the next ones, nor go unnoticed.
        this.ticks = this.ticks.then(() => this.onTick(t, latency)).catch((error: unknown) => void this.emit('problem', { op: 'tick', elapsed: t.elapsedMs / 1000, error }));
      });
      // Every way out ends the run: a failure while finishing fails it, so `finished` always settles.
      void this.load.done
        .then(
          (report) => this.finish(report),
          (err: unknown) => this.fail(err),
        )
        .catch((error: unknown) => {
          this.problem('finish', error);
          return this.fail(error);
        })
        .catch((error: unknown) => this.problem('finish', error));
    } catch (err) {
      await this.fail(err);
    }
  }

  /** Ends the run early; the Result keeps what was measured. */
  stop(): void {
    this.stopRequested = true;
    this.load?.stop();
    // Rolled back at once, not after the load drains (a black hole would hold the drain up).
    void this.faults?.close('test-stopped').catch((error: unknown) => this.problem('faults', error));
  }

  /**
   * Puts an event on the run's timeline (target pod events; the load's lost workers) and emits
   * it. Events before the load start are at 0.
   */
  note(e: Omit<TargetEvent, 'kind'> & { kind: TimelineEvent['kind']; worker?: number }): void {
    const t = this.status === 'running' ? round(Math.max(0, e.at - this.startedAt.getTime()) / 1000, 3) : 0;
    const ev: TimelineEvent = { t, kind: e.kind, ...(e.pod !== undefined ? { pod: e.pod } : {}), ...(e.worker !== undefined ? { worker: e.worker } : {}), message: e.message };
    this.events.push(ev);
    this.emit('event', ev);
  }

  /** The Result so far (final once `done` was emitted). */
  snapshot(): Result {
    return this.result ?? this.buildResult(undefined);
  }

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }

  private setStatus(s: RunStatus): void {
    this.status = s;
    this.emit('status', s);
  }

  private async podStates(): Promise<{ eligible: string[]; busy?: Record<string, number>; busySq?: Record<string, number> }> {
    const pods: TargetPod[] = this.target ? await this.target.pods().catch(() => []) : [];
    if (pods.length === 0) return { eligible: [] };
    let busy: Record<string, number> | undefined;
    let busySq: Record<string, number> | undefined;
    for (const p of pods) {
      if (p.concurrency) this.concurrency.set(p.name, p.concurrency);
      if (p.busyMs === undefined) continue;
      busy ??= {};
      busy[p.name] = p.busyMs - (this.lastBusy.get(p.name) ?? 0);
      this.lastBusy.set(p.name, p.busyMs);
      if (p.busySqMs === undefined) continue;
      busySq ??= {};
      busySq[p.name] = p.busySqMs - (this.lastBusySq.get(p.name) ?? 0);
      this.lastBusySq.set(p.name, p.busySqMs);
    }
    return { eligible: pods.filter((p) => p.eligible).map((p) => p.name), busy, busySq };
  }

  private async onTick(t: LoadTick, latency: WindowLatency | undefined): Promise<void> {
    // The load's last partial window can be a sliver with nothing in it (the schedule ended on
    // a second boundary): it carries no data, and scoring it would only show an empty frame.
    if (t.requests === 0 && errorTotal(t.errors) === 0 && windowSeconds(t, this.timeline) < 0.5 && this.timeline.length > 0) return;
    const fromTarget = this.target?.podRequests ? await this.target.podRequests().catch(() => undefined) : undefined;
    for (const [p, c] of Object.entries(fromTarget ?? {})) this.targetCounts.set(p, (this.targetCounts.get(p) ?? 0) + c);
    const counts = fromTarget ?? attributed(t.pods);
    const states = await this.podStates();
    // A target that cannot list its pods (a URL): the declared pods and every pod seen so far.
    const eligible = this.byRoster ? this.roster(counts).pods : states.eligible;
    const windowMs = windowSeconds(t, this.timeline) * 1000;
    const input = { counts, eligible, busyMs: states.busy, busySqMs: states.busySq, concurrency: Object.fromEntries(this.concurrency), windowMs };
    const w = this.tracker.window(input);
    const recent = this.recent.push(input, w);
    const point = timelinePoint(t, w, counts, this.timeline);
    this.timeline.push(point);
    const total = this.runTotal();
    const tick: RunTick = {
      id: this.id,
      name: this.spec.name,
      elapsed: point.t,
      expectedDuration: this.expectedDuration,
      window: { ...point, balance: balanceResultOf(w) },
      recent,
      pods: podsOfWindow(t, w),
      totals: {
        requests: this.timeline.reduce((a, p) => a + p.requests, 0),
        errors: this.timeline.reduce((a, p) => a + p.errors, 0),
        balance: balanceResultOf(total),
      },
    };
    this.emit('tick', tick, latency);
  }

  private readonly seen = new Set<string>();
  /** The target lists no pods (a URL): judged on its declared pods and those that answered. */
  private byRoster = false;
  private roster(counts: Record<string, number> = {}): Roster {
    for (const p of Object.keys(counts)) this.seen.add(p);
    return rosterOf(this.target?.declaredPods, this.seen);
  }

  /**
   * The whole run so far. A target without eligibility over time (a URL) is judged over its
   * roster for the whole run: a pod that first answered late was behind the URL all along.
   */
  private runTotal(): ReturnType<BalanceTracker['total']> {
    return this.byRoster ? this.tracker.total(this.roster().pods) : this.tracker.total();
  }

  private async finish(report: LoadReport): Promise<void> {
    await this.ticks;
    const result = this.buildResult(report);
    result.status = this.stopRequested ? 'stopped' : 'finished';
    await this.end(result);
  }

  private async fail(err: unknown): Promise<void> {
    this.load?.stop();
    const result = this.buildResult(undefined);
    result.status = 'failed';
    result.error =
      err instanceof ScaleError
        ? { code: err.code, message: err.message }
        : { code: 'engine_error', message: err instanceof Error ? err.message : String(err) };
    await this.end(result);
  }

  /** The run is final only once its target is closed: status, snapshot and `done` change together. */
  private async end(result: Result): Promise<void> {
    if (this.result) return;
    if (this.faults) {
      await this.faults.close(this.stopRequested ? 'test-stopped' : 'test-ended').catch((error: unknown) => this.problem('faults', error));
      result.faults = this.faults.summaries();
    }
    await this.closeTarget();
    this.result = result;
    // Settled first: a subscriber that throws must not leave whoever awaits the run waiting forever.
    this.resolveFinished(result);
    this.status = result.status;
    this.emitEach('status', result.status);
    this.emitEach('done', result);
  }

  /** Emits to each listener on its own: one that throws is reported and the rest still hear it. */
  private emitEach<E extends 'status' | 'done'>(event: E, ...args: RunEvents[E]): void {
    for (const listener of this.rawListeners(event) as Array<(...a: RunEvents[E]) => void>) {
      try {
        listener(...args);
      } catch (error) {
        this.problem('listener', error);
      }
    }
  }

  private problem(op: RunProblem['op'], error: unknown): void {
    this.emit('problem', { op, error });
  }

  private async closeTarget(): Promise<void> {
    this.unsubscribe?.();
    await this.target?.close().catch(() => undefined);
  }

  private buildResult(report: LoadReport | undefined): Result {
    // Every pod that answered, for the roster (a URL's judgement; any target's declared pods).
    if (report) this.roster(this.target?.podRequests ? Object.fromEntries(this.targetCounts) : attributed(report.pods));
    const total = this.runTotal();
    const requests = report?.requests ?? this.timeline.reduce((a, p) => a + p.requests, 0);
    const errors = report ? errorTotal(report.errors) : this.timeline.reduce((a, p) => a + p.errors, 0);
    const duration = report ? report.durationMs / 1000 : (this.timeline.at(-1)?.t ?? 0);
    const podNames = [...new Set([...total.pods, ...Object.keys(attributed(report?.pods ?? {})), ...this.targetCounts.keys()])].sort(byPodName);
    // Counts from the target itself (no pod header) stand in for the load's attribution.
    const requestsOf = (p: string) => (this.target?.podRequests ? (this.targetCounts.get(p) ?? 0) : (report?.pods[p]?.requests ?? 0));
    const attributedTotal = podNames.reduce((a, p) => a + requestsOf(p), 0);
    const pods: PodResult[] = podNames.map((name) => {
      const c = report?.pods[name];
      const utilisation = this.tracker.utilisation(name, this.concurrency.get(name) ?? 1);
      return {
        name,
        requests: requestsOf(name),
        share: attributedTotal > 0 ? requestsOf(name) / attributedTotal : 0,
        expectedShare: this.tracker.expectedShare(name),
        errors: c?.errors ?? 0,
        latency: { p50: toSeconds(c?.latency.p50 ?? 0), p99: toSeconds(c?.latency.p99 ?? 0) },
        ...(utilisation !== undefined ? { utilisation: round(utilisation, 6) } : {}),
        eligible: total.pods.includes(name),
      };
    });
    const lat = report?.latency;
    const judged = judgeRun(total, {
      requests,
      errors,
      errorsByKind: report?.errors ?? { connect: 0, timeout: 0, status: 0, reset: 0, other: errors },
      dropped: report?.dropped ?? 0,
      // Counts from the target itself (Prometheus) need no header on the responses.
      unattributed: this.target?.podRequests ? 0 : (report?.pods[UNKNOWN_POD]?.requests ?? 0),
      attributed: attributedTotal,
      podHeader: this.target?.podHeader,
      p99Ms: lat?.p99 ?? 0,
      thresholds: thresholdSpecOf(this.spec.thresholds),
    });
    return {
      id: this.id,
      spec: this.spec,
      status: this.status,
      startedAt: this.startedAt.toISOString(),
      endedAt: report ? new Date(report.endedAt).toISOString() : null,
      duration: round(duration, 3),
      totals: {
        requests,
        errors,
        rps: duration > 0 ? round(requests / duration, 2) : 0,
        errorRate: judged.errorRate,
        dropped: report?.dropped ?? 0,
      },
      errorsByKind: report?.errors ?? { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 },
      statusCodes: report?.statusCodes ?? {},
      latency: latencySeconds(lat),
      pods,
      balance: judged.balance,
      thresholds: judged.thresholds,
      timeline: this.timeline,
      window: 1,
      ...(this.target?.declaredPods ? { declaredPods: declaredOf(this.target.declaredPods, this.roster()) } : {}),
      faults: this.faults?.summaries() ?? [],
      ...(this.events.length > 0 ? { events: [...this.events] } : {}),
      ...((this.spec.load.workers ?? 1) > 1 ? { workers: workersOf(this.spec.load.workers ?? 1, report) } : {}),
    };
  }
}
