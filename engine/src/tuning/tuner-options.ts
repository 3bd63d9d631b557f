import type { ObjectiveInput } from '../analysis/objective.js';
import type { RunDeps, TestRun } from '../runs/test-run.js';
import type { RunEventRecord } from '../store/result-store.js';
import type { RecommendOptions } from './recommend.js';
import { DEFAULT_VERIFY_MS } from './verify.js';

/**
 * What the auto-tuner (auto-tuner.ts) is given: where runs come from, how it measures and
 * records, its options with their defaults, and the options of enabling its closed loop.
 */

/** Where runs come from (the engine's RunManager is one). */
export interface TunerRunSource {
  on(event: 'run', listener: (run: TestRun) => void): unknown;
  off(event: 'run', listener: (run: TestRun) => void): unknown;
  active(): TestRun[];
  get(id: string): TestRun | undefined;
}

export interface AutoTunerDeps {
  /** Runs to watch in the closed loop (optional: without it only tuneRun/recommendSpec work). */
  runs?: TunerRunSource;
  /** How verification runs open a fresh lab and drive load (runs/default-deps.ts `runDeps()`). */
  runDeps: RunDeps;
  store?: { appendEvent(id: string, event: RunEventRecord): void };
  metrics?: { tuningChanged(n?: number): void };
  now?: () => Date;
}

export interface AutoTunerOptions {
  /** Length of each live verification run, ms (default 2,500). */
  verifyMs?: number;
  /** Best predicted candidates verified live besides the current setting (default 3). */
  verifyTop?: number;
  /** Consecutive imbalanced windows before the closed loop re-tunes (default 5). */
  windows?: number;
  /** Minimum ms between the end of one tuning of a run and the next (default 30,000). */
  cooldownMs?: number;
  /** Windows of a running test the model is fitted from (default 5; at least 2 are awaited). */
  fitWindows?: number;
  recommend?: RecommendOptions;
  /** Decisions kept for GET /api/tuning (default 50). */
  keepDecisions?: number;
}

/** Body of POST /api/tuning/enable. */
export interface EnableOptions {
  /** Only this running test; default every running lab test and those started later. */
  testId?: string;
  dryRun?: boolean;
  objective?: ObjectiveInput;
  windows?: number;
  cooldownMs?: number;
}

/** The options with every default filled in. */
export type ResolvedTunerOptions = Required<Omit<AutoTunerOptions, 'recommend'>> & { recommend: RecommendOptions };

export function tunerOptions(options: AutoTunerOptions = {}): ResolvedTunerOptions {
  return {
    verifyMs: options.verifyMs ?? DEFAULT_VERIFY_MS,
    verifyTop: options.verifyTop ?? 3,
    windows: options.windows ?? 5,
    cooldownMs: options.cooldownMs ?? 30_000,
    fitWindows: options.fitWindows ?? 5,
    recommend: options.recommend ?? {},
    keepDecisions: options.keepDecisions ?? 50,
  };
}
