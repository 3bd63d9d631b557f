import type { FaultEvent } from '../chaos/fault.js';
import type { BalanceResult, PodResult, Result, RunStatus, TimelineEvent, TimelinePoint } from '../core/result.js';
import type { RecentVerdict } from '../analysis/recent-balance.js';
import type { WindowLatency } from '../load/load-report.js';

/** Emitted once per second while a run is live; the CLI view, API stream and metrics subscribe. */
export interface RunTick {
  id: string;
  name: string;
  /** Seconds since the load started (end of this window). */
  elapsed: number;
  /** Expected total length in seconds (from the schedule). */
  expectedDuration: number;
  /** This window. */
  window: TimelinePoint & { balance: BalanceResult };
  /**
   * The verdict alerts read (`scale_imbalance`): this window's, or, when it is too thin to judge
   * (insufficient-data), that of the latest windows pooled, as few as make it judgeable (at most
   * 30), with how many were pooled. Absent from engines before it.
   */
  recent?: RecentVerdict;
  /** Per pod, this window: requests, share, expected share, errors, p50/p99 (s). */
  pods: PodResult[];
  /** Whole run so far. */
  totals: { requests: number; errors: number; balance: BalanceResult };
}

export interface RunEvents {
  status: [status: RunStatus];
  /** `latency`: the window's latency values per pod, on demand (not part of the tick, which goes to clients). */
  tick: [tick: RunTick, latency?: WindowLatency];
  done: [result: Result];
  /** A fault started, ended or failed to apply (chaos/); also kept in the Result's `faults`. */
  fault: [event: FaultEvent];
  /** A pod or worker event as it happened; also kept in the Result's `events`. */
  event: [event: TimelineEvent];
  /**
   * Something went wrong that does not end the run: a window that could not be scored (a
   * subscriber threw, the target's pods could not be read). Logged by the engine, shown by the CLI.
   */
  problem: [problem: RunProblem];
}

/** A failure inside a run that the run survived. */
export interface RunProblem {
  /**
   * What failed: `tick` (scoring or publishing a window), `finish` (building the Result: the run
   * ends as failed instead), `faults` (rolling back the run's faults), `listener` (a subscriber
   * of `status` or `done` threw: the others still hear it, and the run still ends).
   */
  op: 'tick' | 'finish' | 'faults' | 'listener';
  /** Seconds since the load started, when known. */
  elapsed?: number;
  error: unknown;
}
