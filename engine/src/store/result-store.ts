import type { BalanceResult, Result, RunStatus, ThresholdResult, TimelinePoint, Verdict } from '../core/result.js';
import type { TestSpec } from '../spec/test-spec.js';

/**
 * The durable results store: every run the engine starts is recorded while it runs (one
 * sample per second) and when it ends (the whole Result), so a restart loses at most the last
 * second of a live run and never a finished one. One implementation: sqlite-store.ts.
 */

/** What the store needs to open a run record. */
export interface RunStart {
  id: string;
  spec: TestSpec;
  /** ISO-8601; normalised to UTC `toISOString()` form for ordering and filters. */
  startedAt: string;
}

/** One row of the results list: enough to draw a table without loading any timeline. */
export interface ResultSummary {
  id: string;
  name: string;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  requests: number;
  errors: number;
  rps: number;
  /**
   * Jain score of the whole run (finished and interrupted runs); for a running run, the score
   * of the last one-second window, so a live list shows the current balance.
   */
  score: number;
  /** Verdict matching `score`. */
  verdict: Verdict;
  /**
   * What `score` and `verdict` were judged on (README "The balance score"): pod work or
   * requests. Runs stored before the basis existed were judged on requests.
   */
  basis: BalanceResult['basis'];
  /**
   * Jain index of requests against expected shares, for the same span as `score` (equal to it on
   * the requests basis); absent while a running run has no window that gave one.
   */
  requestScore?: number;
  /** Balancing policy of a lab target; absent for targets whose balancer we do not configure. */
  policy?: string;
  targetKind: TestSpec['target']['kind'];
  /**
   * Each configured threshold with its value and pass/fail, as in the Result; absent while the
   * run has no outcome yet (running) and for a record whose stored outcome cannot be read.
   */
  thresholds?: ThresholdResult[];
}

/** Filters and paging of `list()`. Every filter is optional; they combine with AND. */
export interface ResultQuery {
  /** Page size, 1..1000; default 50. */
  limit?: number;
  /** Rows to skip, >= 0; default 0. */
  offset?: number;
  status?: RunStatus;
  /** Exact test name (the spec's `name`). */
  name?: string;
  /** Runs started at or after this ISO-8601 time. */
  since?: string;
  /** Runs started strictly before this ISO-8601 time. */
  until?: string;
}

/** One page of summaries, newest first, and how many runs match the filters in all. */
export interface ResultPage {
  items: ResultSummary[];
  total: number;
}

/** Something that happened during a run and is kept with it (faults, tuning decisions, ...). */
export interface RunEventRecord {
  /** ISO-8601. */
  at: string;
  /** Kebab-case kind, e.g. `fault-injected`, `tuning-change`. */
  type: string;
  /** Any JSON-serialisable payload. */
  data: unknown;
}

/**
 * Durable storage of runs. Methods are synchronous (SQLite in-process is faster than the
 * promise round-trip) and throw ScaleError: `conflict` for a second begin of one id,
 * `not_found` for samples or events of an unknown run, `invalid_input` for bad queries,
 * `engine_error` for a stored record that cannot be read.
 */
export interface ResultStore {
  /** Records a run as `running`, with its spec. */
  begin(run: RunStart): void;
  /** Appends one window of a running run, committed at once (a crash loses at most this second). */
  appendSample(id: string, point: TimelinePoint): void;
  /** Stores the final Result (status taken from it); creates the record if begin was never called. */
  finish(result: Result): void;
  /**
   * The stored Result of an ended run; for a running or interrupted run, a Result rebuilt from
   * its spec and samples (see rebuild-result.ts for what is approximate). Undefined if unknown.
   */
  get(id: string): Result | undefined;
  /** Summaries, newest first. */
  list(query?: ResultQuery): ResultPage;
  /**
   * Call once when the engine starts: every run still `starting`/`running` belonged to a
   * process that died, and becomes `interrupted` with its samples kept. Returns their ids.
   */
  markInterrupted(): string[];
  /** Removes a run with its samples and events; false when there was none. */
  delete(id: string): boolean;
  /** Stores an event with a run. */
  appendEvent(id: string, event: RunEventRecord): void;
  /** A run's events in the order they were appended; empty for an unknown run. */
  events(id: string): RunEventRecord[];
  /** Releases the database; further calls throw. Idempotent. */
  close(): void;
}
