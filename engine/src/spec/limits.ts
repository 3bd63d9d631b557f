import { durationMs } from '../core/duration.js';
import type { Issue } from '../core/errors.js';
import type { TestSpec } from './test-spec.js';

/**
 * Every limit on a test, in one place. The TestSpec schema enforces LIMITS (so a spec the lab
 * cannot run is refused before anything starts), the lab checks its options against the same
 * numbers (lab/lab-options.ts), and the scenario generator clamps to them (scenarios/clamp-spec.ts).
 * The operator may lower some of them per engine (RunLimits, from MAX_* variables); the UI
 * narrows them further (ARCHITECTURE.md §4: users 10-1000, spawn rate 1-100/s, duration 10-600 s).
 */
export const LIMITS = {
  maxUsers: 10_000,
  maxSpawnRate: 1_000,
  maxRate: 50_000,
  minDurationMs: 1_000,
  maxDurationMs: 3_600_000,
  /** Shortest stage of an open load (the whole load lasts at least minDurationMs). */
  minStageMs: 100,
  maxStages: 100,
  /** Lab pods: each is a worker thread (about 10 MB), which bounds a lab's memory. */
  maxPods: 32,
  maxConnections: 10_000,
  /** Load-generator worker threads in one process (`threads`). */
  maxThreads: 8,
  /** Load worker processes of a distributed run (`load.workers`). */
  maxLoadWorkers: 100,
  maxTimeoutMs: 120_000,
  /** Largest time parameter of a lab pod's service-time distribution. */
  maxServiceMs: 60_000,
  /** Requests one lab pod serves at once. */
  maxPodConcurrency: 10_000,
  /** Body size of a lab pod's answer (also the cap of the `?size=` override). */
  maxResponseBytes: 1_048_576,
} as const;

/** Per-test caps set by the operator (env MAX_*), on top of LIMITS. */
export interface RunLimits {
  maxUsers: number;
  maxRate: number;
  maxDurationMs: number;
  maxPods: number;
}

/** Every way a validated `spec` exceeds the operator's caps, each with its path. Pure. */
export function limitIssues(spec: TestSpec, limits: RunLimits): Issue[] {
  const issues: Issue[] = [];
  const l = spec.load;
  if (l.model === 'closed') {
    if (l.users > limits.maxUsers) issues.push({ path: 'load.users', message: `${l.users} users exceeds this engine's limit of ${limits.maxUsers}` });
    if (durationMs(l.duration) > limits.maxDurationMs)
      issues.push({ path: 'load.duration', message: `${l.duration} exceeds this engine's limit of ${limits.maxDurationMs / 1000}s` });
  } else {
    l.stages.forEach((s, i) => {
      if (s.rate > limits.maxRate) issues.push({ path: `load.stages.${i}.rate`, message: `${s.rate}/s exceeds this engine's limit of ${limits.maxRate}/s` });
    });
    const total = l.stages.reduce((a, s) => a + durationMs(s.duration), 0);
    if (total > limits.maxDurationMs)
      issues.push({ path: 'load.stages', message: `total ${total / 1000}s exceeds this engine's limit of ${limits.maxDurationMs / 1000}s` });
  }
  if (spec.target.kind === 'lab' && spec.target.pods > limits.maxPods)
    issues.push({ path: 'target.pods', message: `${spec.target.pods} pods exceeds this engine's limit of ${limits.maxPods}` });
  return issues;
}

/**
 * Issue paths as the input named them: a validated spec always holds open-model stages, but the
 * input may have used the shorthand `{ rate, duration }`, whose fields are `load.rate` and
 * `load.duration`. Used where a problem found after validation (an engine cap) is reported.
 */
export function inputPaths(issues: Issue[], input: unknown): Issue[] {
  const load = (input as { load?: { model?: unknown; stages?: unknown; rate?: unknown } } | null)?.load;
  if (load?.model !== 'open' || load.stages !== undefined) return issues;
  return issues.map((i) => {
    if (i.path === 'load.stages.0.rate') return { ...i, path: 'load.rate' };
    if (i.path === 'load.stages' || i.path === 'load.stages.0.duration') return { ...i, path: 'load.duration' };
    return i;
  });
}
