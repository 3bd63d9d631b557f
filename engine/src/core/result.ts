import type { TestSpec } from '../spec/test-spec.js';

/**
 * The Result of a test run: what `scale run --json` prints, the API returns and the store keeps.
 * Every time and latency is in seconds; timestamps are ISO-8601 strings.
 */
export type RunStatus = 'starting' | 'running' | 'finished' | 'stopped' | 'failed' | 'interrupted';

export interface LatencySeconds {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** The verdict on a window or a run (ARCHITECTURE.md §5; analysis/balance.ts gives it). */
export type Verdict = 'no-data' | 'insufficient-data' | 'balanced' | 'imbalanced';

/** One threshold's outcome (analysis/thresholds.ts evaluates them). */
export interface ThresholdResult {
  name: 'balance' | 'maxShareRatio' | 'p99' | 'errorRate' | 'responses';
  /** The limit as configured (p99 in seconds, like every time in a Result). */
  limit: number;
  /** The measured value (p99 in seconds). */
  value: number;
  pass: boolean;
  /** The pod the value is about (`maxShareRatio`: the hottest pod). */
  pod?: string;
  /** Why it failed, when the numbers alone do not say (a verdict that could not be judged). */
  reason?: string;
}

export interface PodResult {
  name: string;
  requests: number;
  /** Fraction of all attributed requests. */
  share: number;
  /** Fraction this pod should have taken, given its capacity and the time it was eligible. */
  expectedShare: number;
  errors: number;
  latency: { p50: number; p99: number };
  /** Fraction of the run the pod spent serving (busy time / duration / concurrency), when known. */
  utilisation?: number;
  /** False when the pod was never eligible for traffic (down or ejected the whole run). */
  eligible: boolean;
}

/**
 * The balance of a window or a run (README "The balance score"). `score`, `cov`, `maxMean`,
 * `chiSquareP` and `verdict` are those of `basis`; both scores are always shown.
 */
export interface BalanceResult {
  score: number;
  cov: number;
  /** The hottest pod's share over its expected share (1: every pod takes its share; see analysis/balance.ts). */
  maxMean: number;
  chiSquareP: number;
  verdict: Verdict;
  /** What the verdict was judged on: pod work (busy time per slot) or requests against expected shares. */
  basis: 'utilisation' | 'requests';
  /** Jain index of requests against expected shares. */
  requestScore: number;
  /** Jain index over per-pod busy time per service slot; null when the target does not expose it. */
  utilisation: number | null;
  /** Why the verdict is no-data or insufficient-data (absent otherwise). */
  reason?: string;
}

export interface TimelinePoint {
  /** Seconds since the run started (window end). */
  t: number;
  requests: number;
  errors: number;
  rps: number;
  latency: { p50: number; p99: number };
  /** Requests per pod in this window. */
  pods: Record<string, number>;
  /** The window's balance score on `basis` (see BalanceResult). */
  score: number;
  verdict: Verdict;
  /** Absent in samples stored before the basis existed (they were judged on requests). */
  basis?: 'utilisation' | 'requests';
  /** Jain index of requests against expected shares (absent in samples stored before it existed). */
  requestScore?: number;
  utilisation: number | null;
  inflight: number;
  users: number;
  /**
   * Set on a window shorter than a second: only the last window of a run stopped early (the
   * tail of a run that ends by itself is merged into the window before it). Its verdict is
   * over that fraction of a second.
   */
  partial?: true;
}

export interface ErrorBreakdown {
  connect: number;
  timeout: number;
  status: number;
  reset: number;
  other: number;
}

/** A fault that acted during a run (chaos/): when, on which pods, with what parameters. */
export interface FaultSummary {
  id: string;
  /** A chaos FaultType (latency, errors, pod-failure, partition, ...). */
  type: string;
  /** Pods it acted on (scale-up: the pods it added). */
  pods: string[];
  /** Seconds from the load start when it was fully applied; faults applied before any traffic start at 0. */
  startedAt: number;
  /** Seconds from the load start when its rollback began; null while active. */
  endedAt: number | null;
  /** Resolved parameters (severity presets filled in). */
  params: Record<string, unknown>;
  /** expired, removed, test-ended, test-stopped, shutdown, reconciled, or failed (never applied). */
  endReason?: string;
  /** Why it could not be applied, or what went wrong rolling it back. */
  error?: string;
}

/**
 * Something that happened during a run, on its timeline: a pod joined, left, turned ready or
 * unready (a kubernetes target's EndpointSlice watch), a load worker was lost (distributed load).
 */
export interface TimelineEvent {
  /** Seconds from the load start (events before it are at 0). */
  t: number;
  kind: 'pod-added' | 'pod-removed' | 'pod-ready' | 'pod-unready' | 'watch-error' | 'worker-lost';
  pod?: string;
  /** The load worker's index (worker-lost). */
  worker?: number;
  message: string;
}

/** One stored tuning event of a run: when, what (`applied`, `kept`, `recommended`, `dry-run`, `reverted`), and its details. */
export type TuningRecord = { at: string; action: string } & Record<string, unknown>;

export interface Result {
  id: string;
  spec: TestSpec;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  /** Seconds from the first request to the end of the run. */
  duration: number;
  /**
   * `dropped`: requests the open model was due to send but did not (too many in flight); they
   * count as failed in `errorRate` = (errors + dropped) / (requests + dropped).
   */
  totals: { requests: number; errors: number; rps: number; errorRate: number; dropped: number };
  errorsByKind: ErrorBreakdown;
  statusCodes: Record<string, number>;
  latency: LatencySeconds;
  pods: PodResult[];
  balance: BalanceResult;
  thresholds: ThresholdResult[];
  timeline: TimelinePoint[];
  /**
   * Length of one timeline window in seconds: 1 for a live run; a simulation of a long virtual
   * run uses longer windows so its timeline stays bounded. Absent in results stored before it.
   */
  window?: number;
  /**
   * When the target declares its pods (a URL's `target.pods`, a Kubernetes target's discovery):
   * how many, which never answered (counted with zero requests), and which answered undeclared.
   */
  declaredPods?: { count: number; silent: string[]; undeclared: string[] };
  /**
   * What the auto-tuner did to this run, in order: each decision (tuning/decision.ts: action,
   * predicted and measured numbers) and each revert, as stored with the run (events of type
   * `tuning`). Absent when the tuner never touched it.
   */
  tuning?: TuningRecord[];
  /** Faults injected during the run, in start order (absent in results stored before faults existed). */
  faults?: FaultSummary[];
  /** A distributed run's worker processes (`load.workers` > 1): the ones lost and the load they took. */
  workers?: {
    count: number;
    /** Workers that went away before finishing, with when (seconds from the load start) and why. */
    lost: Array<{ index: number; t: number; reason: string }>;
    /** Open model: requests the lost workers' shares still had to send. */
    lostRequests?: number;
    /** Closed model: users the lost workers ran. */
    lostUsers?: number;
    /** Fraction of the planned load lost (0 when no worker was lost). */
    lostShare: number;
  };
  /** Pod and worker events in time order (absent when there were none). */
  events?: TimelineEvent[];
  /** Set when status is failed. */
  error?: { code: string; message: string };
}
