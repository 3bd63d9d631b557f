import { durationMs } from '../core/duration.js';
import type { Result } from '../core/result.js';
import { LIMITS } from '../spec/limits.js';
import type { TestSpec } from '../spec/test-spec.js';
import { TestRun, type RunDeps } from '../runs/test-run.js';
import type { Target } from '../targets/target.js';
import { policyOptionsSpec } from '../runs/plan.js';
import type { Setting } from './candidates.js';
import { settingId, weightOf, weightsFor } from './candidates.js';
import { hasJoins, joinFault, joinWindowMs } from './joins.js';
import { labOfTarget } from './tunable-run.js';
import { scoreOf, type Score } from '../analysis/objective.js';
import { labPodNames } from '../spec/pod-names.js';

/**
 * Step 2 of the tuner: measure settings on the real target for short windows. For the lab that
 * is a short live run on a fresh lab of the same spec with the setting's policy, mode and
 * connections: the running test's own lab is never disturbed by a setting that may be worse,
 * and every setting (the current one included) is measured the same way, one after another so
 * they do not compete for the CPU.
 */

/** Default length of one verification run (ms). */
export const DEFAULT_VERIFY_MS = 2_500;

/** `spec` with `s`'s balancer and connections: what a verification (or baseline) run uses. */
export function specWithSetting(spec: TestSpec, s: Setting): TestSpec {
  if (spec.target.kind !== 'lab') throw new RangeError('only a lab spec can take a balancer setting');
  const { weights: _w, policyOptions: _o, ...target } = spec.target;
  // The spec's hashing options stay for consistent-hash (the tuner does not search them); the
  // setting's own win. Other policies do not read them, and a spec refuses options its policy ignores.
  const hash = s.policy === 'consistent-hash' && _o?.hashAlgorithm !== undefined ? { hashAlgorithm: _o.hashAlgorithm, ...(_o.hashKey ? { hashKey: _o.hashKey } : {}) } : {};
  const policyOptions = { ...hash, ...policyOptionsSpec(s.policyOptions) };
  return {
    ...spec,
    target: {
      ...target,
      policy: s.policy,
      mode: s.mode,
      ...(s.weights ? { weights: weightsFor(labPodNames(spec.target.pods), s.weights) } : {}),
      ...(Object.keys(policyOptions).length > 0 ? { policyOptions } : {}),
    },
    connections: { ...spec.connections, requestsPerConnection: s.requestsPerConnection },
  };
}

/**
 * `spec` cut to a short window of `ms`, without faults (a verification measures the balancer,
 * not a fault schedule), or with `join`: one pod joining (joins.ts), in a window long enough for it. Closed model: the same users, spawned within half a second (a slow
 * ramp would leave most of a short window unloaded). Open model: one stage at `rate` (default:
 * the stage in force at `atMs` from the load start, else the first).
 */
export function shortSpec(spec: TestSpec, ms: number, opts: { atMs?: number; rate?: number; label?: string; join?: boolean } = {}): TestSpec {
  if (opts.join) ms = joinWindowMs(ms);
  const duration = `${Math.max(LIMITS.minDurationMs, Math.round(ms))}ms`;
  const l = spec.load;
  const load: TestSpec['load'] =
    l.model === 'closed'
      ? { ...l, duration, spawnRate: Math.min(LIMITS.maxSpawnRate, Math.max(l.spawnRate, l.users * 2)) }
      : { model: 'open', stages: [{ rate: opts.rate ?? stageRateAt(l.stages, opts.atMs ?? 0), duration, ramp: false }] };
  const name = `${spec.name} · ${opts.label ?? 'tune'}`.slice(0, 100);
  return { ...spec, name, load, faults: opts.join ? [joinFault(Math.max(LIMITS.minDurationMs, Math.round(ms)))] : [] };
}

function stageRateAt(stages: ReadonlyArray<{ rate: number; duration: string }>, atMs: number): number {
  let end = 0;
  for (const s of stages) {
    end += durationMs(s.duration);
    if (atMs < end) return s.rate;
  }
  return stages.at(-1)?.rate ?? 0;
}

/** Runs one spec live to the end (or until `signal` aborts: then it is stopped) and returns its Result. */
export async function runLive(spec: TestSpec, deps: RunDeps, signal?: AbortSignal): Promise<Result> {
  const run = new TestRun(spec, deps);
  const stop = () => run.stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (signal?.aborted) run.stop();
    await run.start();
    return await run.finished;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

/** A setting as measured live. */
export interface Measured {
  id: string;
  measured: Score;
  /** The run ended with status failed (its numbers are what it got before that). */
  failed?: string;
}

/**
 * Measures each setting in turn with a short live run of `spec` (see the module comment).
 * Settings of one mode share one fresh lab whose policy and weights are switched between runs:
 * starting a lab (six worker threads) costs more CPU than a short window, and on a small machine
 * that start-up would distort the windows of the test being tuned. The mode needs its own lab
 * (the proxy cannot switch L4/L7). A target that is not the lab gets a fresh one per setting.
 */
export async function verifySettings(spec: TestSpec, settings: readonly Setting[], deps: RunDeps, ms = DEFAULT_VERIFY_MS, atMs?: number, signal?: AbortSignal): Promise<Measured[]> {
  const out = new Map<string, Measured>();
  const join = hasJoins(spec);
  for (const mode of [...new Set(settings.map((s) => s.mode))]) {
    const group = settings.filter((s) => s.mode === mode);
    const target = await deps.openTarget(specWithSetting(spec, group[0]));
    try {
      const lab = labOfTarget(target);
      for (const s of group) {
        // Cancelled (the tuner was disabled): the run in progress stops, no further one starts.
        signal?.throwIfAborted();
        const id = settingId(s);
        let runDeps = deps;
        if (lab) {
          await lab.setPolicy(s.policy, s.policyOptions);
          await lab.setWeights(Object.fromEntries(lab.pods().map((p) => [p.name, weightOf(s.weights, p.name)])));
          runDeps = { ...deps, openTarget: async () => borrowed(target) };
        }
        const r = await runLive(shortSpec(specWithSetting(spec, s), ms, { atMs, label: `verify ${id}`, join }), runDeps, signal);
        out.set(id, { id, measured: scoreOf(r), ...(r.status === 'failed' ? { failed: r.error?.message ?? 'failed' } : {}) });
      }
    } finally {
      await target.close().catch(() => undefined);
    }
  }
  signal?.throwIfAborted();
  return settings.map((s) => out.get(settingId(s))!);
}

/**
 * The shared lab as one run's target: closing it is left to verifySettings, and busy time counts
 * from now (TestRun turns cumulative busy time into per-window deltas starting from zero).
 */
function borrowed(t: Target): Target {
  let base: Map<string, number> | undefined;
  const start = t.pods().then((ps) => (base = new Map(ps.map((p) => [p.name, p.busyMs ?? 0]))));
  return {
    kind: t.kind,
    url: t.url,
    podHeader: t.podHeader,
    // faults (a judged join) act on the shared lab; the run rolls them back before it ends
    ...(t.chaos ? { chaos: t.chaos } : {}),
    pods: async () => {
      await start;
      const ps = await t.pods();
      return ps.map((p) => (p.busyMs === undefined ? p : { ...p, busyMs: p.busyMs - (base?.get(p.name) ?? 0) }));
    },
    close: async () => undefined,
  };
}
