import { durationMs } from '../core/duration.js';
import type { Result } from '../core/result.js';
import { LIMITS } from '../spec/limits.js';
import type { TestSpec } from '../spec/test-spec.js';
import { TestRun, type RunDeps } from '../runs/test-run.js';
import type { Setting } from './candidates.js';
import { settingId } from './candidates.js';
import { scoreOf, type Score } from './objective.js';

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
  const hash = _o?.hashAlgorithm !== undefined ? { hashAlgorithm: _o.hashAlgorithm, ...(_o.hashKey ? { hashKey: _o.hashKey } : {}) } : {};
  const o = s.policyOptions;
  const policyOptions = {
    ...hash,
    ...(o.choices !== undefined ? { choices: o.choices } : {}),
    ...(o.decayMs !== undefined ? { decay: `${o.decayMs}ms` } : {}),
  };
  return {
    ...spec,
    target: {
      ...target,
      policy: s.policy,
      mode: s.mode,
      ...(s.weights ? { weights: [...s.weights] } : {}),
      ...(Object.keys(policyOptions).length > 0 ? { policyOptions } : {}),
    },
    connections: { ...spec.connections, requestsPerConnection: s.requestsPerConnection },
  };
}

/**
 * `spec` cut to a short window of `ms`, without faults (a verification measures the balancer,
 * not a fault schedule). Closed model: the same users, spawned within half a second (a slow
 * ramp would leave most of a short window unloaded). Open model: one stage at `rate` (default:
 * the stage in force at `atMs` from the load start, else the first).
 */
export function shortSpec(spec: TestSpec, ms: number, opts: { atMs?: number; rate?: number; label?: string } = {}): TestSpec {
  const duration = `${Math.max(LIMITS.minDurationMs, Math.round(ms))}ms`;
  const l = spec.load;
  const load: TestSpec['load'] =
    l.model === 'closed'
      ? { ...l, duration, spawnRate: Math.min(LIMITS.maxSpawnRate, Math.max(l.spawnRate, l.users * 2)) }
      : { model: 'open', stages: [{ rate: opts.rate ?? stageRateAt(l.stages, opts.atMs ?? 0), duration, ramp: false }] };
  const name = `${spec.name} · ${opts.label ?? 'tune'}`.slice(0, 100);
  return { ...spec, name, load, faults: [] };
}

function stageRateAt(stages: ReadonlyArray<{ rate: number; duration: string }>, atMs: number): number {
  let end = 0;
  for (const s of stages) {
    end += durationMs(s.duration);
    if (atMs < end) return s.rate;
  }
  return stages.at(-1)?.rate ?? 0;
}

/** Runs one spec live to the end and returns its Result. */
export async function runLive(spec: TestSpec, deps: RunDeps): Promise<Result> {
  const run = new TestRun(spec, deps);
  await run.start();
  return run.finished;
}

/** A setting as measured live. */
export interface Measured {
  id: string;
  measured: Score;
  /** The run ended with status failed (its numbers are what it got before that). */
  failed?: string;
}

/** Measures each setting in turn with a short live run of `spec` (see the module comment). */
export async function verifySettings(spec: TestSpec, settings: readonly Setting[], deps: RunDeps, ms = DEFAULT_VERIFY_MS, atMs?: number): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const s of settings) {
    const id = settingId(s);
    const r = await runLive(shortSpec(specWithSetting(spec, s), ms, { atMs, label: `verify ${id}` }), deps);
    out.push({ id, measured: scoreOf(r), ...(r.status === 'failed' ? { failed: r.error?.message ?? 'failed' } : {}) });
  }
  return out;
}
