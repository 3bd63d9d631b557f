import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ScaleError } from '../core/errors.js';
import type { RunTick } from '../runs/run-events.js';
import type { TestRun } from '../runs/test-run.js';
import type { BalancerApplier } from '../k8s/balancers/balancer-applier.js';
import { weightOf, type Setting } from './candidates.js';
import { tuneCluster } from './cluster-tuning.js';
import { decide, toVerify } from './decision.js';
import { concurrencyOf, fitPods } from './fit-model.js';
import type { ObjectiveInput } from '../analysis/objective.js';
import { recommend, settingOf } from './recommend.js';
import { RunWatch, WARMUP_S, type PodCounterSample } from './run-watch.js';
import { balancerOf, labOf, tunable, type TunableLab } from './tunable-run.js';
import { tunerOptions, type AutoTunerDeps, type AutoTunerOptions, type EnableOptions, type ResolvedTunerOptions } from './tuner-options.js';
import type { Reverted, TunerState } from './tuner-state.js';
import type { TuningDecision } from './tuning-decision.js';
import { specWithSetting, verifySettings } from './verify.js';

export interface AutoTunerEvents {
  decision: [decision: TuningDecision];
  reverted: [reverted: Reverted];
  /** A tuning attempt failed (the run keeps its setting). */
  failure: [info: { testId?: string; message: string }];
}

interface Applied {
  original: { setting: Setting; weights: Record<string, number> };
  current: Setting;
}

/**
 * The sim-then-verify auto-tuner (issue 4): fit a pod model from a running lab test, simulate
 * every candidate (recommend.ts), verify the best on fresh labs (verify.ts), apply the measured
 * winner to the running lab (recording the original so disable reverts it), and, when enabled,
 * re-tune on sustained imbalance with a cool-down. Every decision is emitted, counted and stored.
 */
export class AutoTuner extends EventEmitter<AutoTunerEvents> {
  private readonly o: ResolvedTunerOptions;
  private enabled: EnableOptions | undefined;
  private readonly watches = new Map<string, { run: TestRun; watch: RunWatch; onTick: (t: RunTick) => void }>();
  private readonly applied = new Map<string, Applied>();
  /** Runs with a balancer setting the tuner applied on a cluster, and what disable puts back. */
  private readonly clusterApplied = new Map<string, { applier: BalancerApplier; original: Setting; current: Setting }>();
  private readonly decisions: TuningDecision[] = [];
  /** Tunings in progress, by run: disable cancels those that may apply a change and waits for them. */
  private readonly tunings = new Map<string, { controller: AbortController; done: Promise<unknown>; dryRun: boolean }>();
  private readonly onRun = (run: TestRun) => this.watchIfInScope(run);

  constructor(
    private readonly deps: AutoTunerDeps,
    options: AutoTunerOptions = {},
  ) {
    super();
    this.o = tunerOptions(options);
  }

  /** Turns the closed loop on (again, with new options) for one running test or all. */
  enable(opts: EnableOptions = {}): TunerState {
    if (opts.testId !== undefined) {
      const run = this.deps.runs?.get(opts.testId);
      if (!run) throw new ScaleError('not_found', `no test ${opts.testId}`);
      if (run.status !== 'running' && run.status !== 'starting') throw new ScaleError('conflict', `test ${opts.testId} is ${run.status}, not running`);
      if (!tunable(run)) throw new ScaleError('invalid_input', `test ${opts.testId} runs on neither the lab nor a kubernetes target with a balancer; only those can be tuned live`);
    }
    this.stopWatching();
    this.enabled = opts;
    if (opts.testId !== undefined) this.watch(this.deps.runs!.get(opts.testId)!);
    else {
      for (const r of this.deps.runs?.active() ?? []) this.watchIfInScope(r);
      this.deps.runs?.on('run', this.onRun);
    }
    return this.state();
  }

  /**
   * Turns the closed loop off and puts back every setting the tuner applied to a running test.
   * A tuning in progress that could apply a change is cancelled first (its live verification
   * runs are stopped) and waited for, so when this answers every change is reverted and none
   * can follow. Dry runs go on (they change nothing).
   */
  async disable(): Promise<Reverted[]> {
    this.enabled = undefined;
    this.stopWatching();
    const live = [...this.tunings.values()].filter((t) => !t.dryRun);
    for (const t of live) t.controller.abort(new ScaleError('conflict', 'tuning cancelled: the tuner was disabled'));
    await Promise.allSettled(live.map((t) => t.done));
    const out: Reverted[] = [];
    for (const [testId, a] of [...this.clusterApplied]) {
      this.clusterApplied.delete(testId);
      await a.applier.restore();
      this.deps.metrics?.tuningChanged();
      this.record(testId, { action: 'reverted', from: a.current, to: a.original });
      const r = { testId, setting: a.original };
      this.emit('reverted', r);
      out.push(r);
    }
    for (const [testId, a] of [...this.applied]) {
      this.applied.delete(testId);
      const run = this.deps.runs?.get(testId) ?? this.known.get(testId);
      const lab = run && labOf(run);
      if (!run || !lab || (run.status !== 'running' && run.status !== 'starting')) continue;
      await lab.setPolicy(a.original.setting.policy, a.original.setting.policyOptions);
      if (Object.keys(a.original.weights).length > 0) await lab.setWeights(a.original.weights);
      const r = { testId, setting: a.original.setting };
      this.deps.metrics?.tuningChanged();
      this.record(testId, { action: 'reverted', from: a.current, to: a.original.setting });
      this.emit('reverted', r);
      out.push(r);
    }
    return out;
  }

  state(): TunerState {
    const e = this.enabled;
    return {
      enabled: e !== undefined,
      scope: e === undefined ? null : e.testId !== undefined ? { testId: e.testId } : 'all',
      dryRun: Boolean(e?.dryRun),
      windows: e?.windows ?? this.o.windows,
      cooldownMs: e?.cooldownMs ?? this.o.cooldownMs,
      watching: [...this.watches.keys()],
      applied: [
        ...[...this.applied].map(([testId, a]) => ({ testId, current: a.current, original: a.original.setting })),
        ...[...this.clusterApplied].map(([testId, a]) => ({ testId, current: a.current, original: a.original })),
      ],
      decisions: [...this.decisions],
    };
  }

  /** Runs tuned by hand (tuneRun) and not found in the run source; forgotten when they end. */
  private readonly known = new Map<string, TestRun>();

  /** Ids of the runs the tuner holds anything of (watches, applied settings, tunings): finished runs are dropped. */
  inMemory(): string[] {
    return [...new Set([...this.watches.keys(), ...this.known.keys(), ...this.applied.keys(), ...this.clusterApplied.keys(), ...this.tunings.keys()])];
  }

  /**
   * Tunes one running lab test now: fit from its last windows, simulate, verify live, and apply
   * the measured winner unless `dryRun` (or it needs a mode or client change). Fails at once
   * (conflict) when the test cannot give the windows a fit needs before it ends, as soon as it
   * ends without them, when a tuning of it is already in progress, and when disable cancels it.
   */
  async tuneRun(run: TestRun, opts: { dryRun?: boolean; objective?: ObjectiveInput; trigger?: TuningDecision['trigger'] } = {}): Promise<TuningDecision> {
    const cluster = balancerOf(run);
    if (!cluster && run.spec.target.kind !== 'lab')
      throw new ScaleError('invalid_input', `test ${run.id} runs on neither the lab nor a kubernetes target with a balancer; only those can be tuned live`);
    if (cluster && opts.dryRun)
      throw new ScaleError('invalid_input', `a cluster's balancer can only be measured with each setting applied; tune test ${run.id} without dryRun (the original is restored unless a setting is clearly better)`);
    if (run.status !== 'running' && run.status !== 'starting') throw new ScaleError('conflict', `test ${run.id} is ${run.status}, not running`);
    if (this.tunings.has(run.id)) throw new ScaleError('conflict', `a tuning of test ${run.id} is in progress`);
    const w = this.watch(run);
    const elapsed = run.snapshot().timeline.at(-1)?.t ?? 0;
    const needS = Math.max(elapsed, WARMUP_S) + Math.max(0, FIT_WINDOWS - w.size);
    if (!cluster && needS > run.expectedDuration + 0.5) {
      if (!this.inScope(run)) this.unwatch(run.id);
      throw new ScaleError('conflict', `test ${run.id} ends before the tuner has the ${FIT_WINDOWS} one-second windows it fits a model from (they start after the first second): it runs ${run.expectedDuration} s, ${elapsed.toFixed(1)} s have passed`);
    }
    const controller = new AbortController();
    const done = cluster ? this.tuneClusterRun(run, w, cluster, controller.signal, opts) : this.tune(run, w, controller.signal, opts);
    this.tunings.set(run.id, { controller, done, dryRun: Boolean(opts.dryRun) });
    try {
      return await done;
    } finally {
      this.tunings.delete(run.id);
    }
  }

  private tune(run: TestRun, w: RunWatch, signal: AbortSignal, opts: { dryRun?: boolean; objective?: ObjectiveInput; trigger?: TuningDecision['trigger'] }): Promise<TuningDecision> {
    return this.whileTuning(run, w, async () => {
      // Three windows past warm-up: one supplies the busy counters' start, two are fitted.
      await untilAborted(w.waitFor(FIT_WINDOWS), signal);
      const model = fitPods(w.observations(), concurrencyOf(run.spec));
      const current = this.applied.get(run.id)?.current ?? settingOf(run.spec);
      const spec = specWithSetting(run.spec, current);
      const rec = recommend(spec, model, { ...this.o.recommend, objective: opts.objective ?? this.enabled?.objective });
      const settings = [rec.current.candidate, ...toVerify(rec, this.o.verifyTop)];
      const elapsedMs = (run.snapshot().timeline.at(-1)?.t ?? 0) * 1000;
      const measured = await verifySettings(spec, settings, this.deps.runDeps, this.o.verifyMs, elapsedMs, signal);
      signal.throwIfAborted();
      const d = decide(rec, measured, { dryRun: Boolean(opts.dryRun), trigger: opts.trigger ?? 'manual', testId: run.id, at: this.now().toISOString(), id: randomUUID() });
      if (d.action === 'applied') {
        const lab = labOf(run);
        if (!lab || (run.status !== 'running' && run.status !== 'starting')) {
          d.action = 'recommended';
          d.note = `recommend ${d.winner.id}; not applied: the test is no longer running on a lab the tuner can change`;
        } else {
          d.previous = current;
          await this.applySetting(run.id, lab, current, d.winner.setting);
          w.clear();
        }
      }
      this.remember(d);
      return d;
    });
  }

  /**
   * A kubernetes run: every setting its balancer offers measured on the running test itself
   * (cluster-tuning.ts); cancelled by disable like any tuning (the original is put back).
   */
  private tuneClusterRun(run: TestRun, w: RunWatch, applier: BalancerApplier, signal: AbortSignal, opts: { objective?: ObjectiveInput; trigger?: TuningDecision['trigger'] }): Promise<TuningDecision> {
    return this.whileTuning(run, w, async () => {
      const d = await tuneCluster(run, applier, { trigger: opts.trigger ?? 'manual', objective: opts.objective ?? this.enabled?.objective, now: () => this.now(), signal });
      if (d.action === 'applied') {
        const prior = this.clusterApplied.get(run.id);
        this.clusterApplied.set(run.id, { applier, original: prior?.original ?? d.current.setting, current: d.winner.setting });
        this.deps.metrics?.tuningChanged();
      }
      w.clear();
      this.remember(d);
      return d;
    });
  }

  /**
   * Runs one tuning of `run`: its watch is marked busy meanwhile (the closed loop leaves it
   * alone), a failure is emitted, and the cool-down starts when it ends.
   */
  private async whileTuning<T>(run: TestRun, w: RunWatch, body: () => Promise<T>): Promise<T> {
    this.known.set(run.id, run);
    w.tuning = true;
    try {
      return await body();
    } catch (err) {
      this.emit('failure', { testId: run.id, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      w.tuning = false;
      w.lastTunedAt = Date.now();
      if (!this.inScope(run) || run.status !== 'running') this.unwatch(run.id);
    }
  }

  private async applySetting(testId: string, lab: TunableLab, current: Setting, next: Setting): Promise<void> {
    const prior = this.applied.get(testId);
    const original = prior?.original ?? { setting: current, weights: Object.fromEntries(lab.pods().map((p) => [p.name, p.weight])) };
    await lab.setPolicy(next.policy, next.policyOptions);
    if (next.weights) await lab.setWeights(Object.fromEntries(lab.pods().map((p) => [p.name, weightOf(next.weights, p.name)])));
    this.applied.set(testId, { original, current: next });
    this.deps.metrics?.tuningChanged();
  }

  private remember(d: TuningDecision): void {
    this.decisions.push(d);
    if (this.decisions.length > this.o.keepDecisions) this.decisions.shift();
    if (d.testId) this.record(d.testId, d);
    this.emit('decision', d);
  }

  private record(testId: string, data: unknown): void {
    try {
      this.deps.store?.appendEvent(testId, { at: this.now().toISOString(), type: 'tuning', data });
    } catch {
      // A store failure must not undo a change already made to the balancer; the event is still emitted.
    }
  }

  private inScope(run: TestRun): boolean {
    const e = this.enabled;
    return e !== undefined && (e.testId === undefined || e.testId === run.id);
  }

  private watchIfInScope(run: TestRun): void {
    if (this.inScope(run) && tunable(run)) this.watch(run);
  }

  private watch(run: TestRun): RunWatch {
    const have = this.watches.get(run.id);
    if (have) return have.watch;
    const watch = new RunWatch(this.enabled?.windows ?? this.o.windows, this.o.fitWindows);
    const onTick = (t: RunTick) => {
      const lab = labOf(run);
      const counters: PodCounterSample[] | undefined = lab?.stats().map(({ name, served, busyMs, concurrency }) => ({ name, served, busyMs, concurrency }));
      const fired = watch.push(t, counters);
      const cooldown = this.enabled?.cooldownMs ?? this.o.cooldownMs;
      if (fired && this.inScope(run) && !watch.tuning && Date.now() - watch.lastTunedAt >= cooldown) {
        void this.tuneRun(run, { trigger: 'closed-loop', dryRun: this.enabled?.dryRun }).catch(() => undefined);
      }
    };
    run.on('tick', onTick);
    run.once('done', () => {
      // A tuning waiting for windows learns at once that none will come.
      watch.end(new ScaleError('conflict', `test ${run.id} ended before the tuner had the ${FIT_WINDOWS} windows it fits a model from`));
      this.unwatch(run.id);
      this.known.delete(run.id);
    });
    this.watches.set(run.id, { run, watch, onTick });
    return watch;
  }

  private unwatch(id: string): void {
    const w = this.watches.get(id);
    if (!w) return;
    w.run.off('tick', w.onTick);
    this.watches.delete(id);
    if (w.run.status !== 'running' && w.run.status !== 'starting') {
      this.applied.delete(id);
      // The target restored its balancer when it closed.
      this.clusterApplied.delete(id);
    }
  }

  private stopWatching(): void {
    this.deps.runs?.off('run', this.onRun);
    for (const [id, w] of [...this.watches]) if (!w.watch.tuning) this.unwatch(id);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

/** One-second windows a model is fitted from (one supplies the busy counters' start, two are fitted). */
const FIT_WINDOWS = 3;

/** `p`, or the signal's reason as soon as it aborts (whichever comes first). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
