import type { BucketCounts } from '../core/latency-buckets.js';

/**
 * What the load generator reports: one LoadTick per second while running, one LoadReport at the
 * end. Times are milliseconds here; the Result (core/result.ts) converts to seconds.
 * Per-pod attribution comes from the response header named in LoadOptions.podHeader; a
 * response without it is counted under UNKNOWN_POD, a request with no response under NO_POD.
 */
export const UNKNOWN_POD = '(unknown)';
export const NO_POD = '(none)';

/** Errors by kind: connect (refused/unreachable), timeout, status (>= 400), reset, other. */
export interface ErrorCounts {
  connect: number;
  timeout: number;
  status: number;
  reset: number;
  other: number;
}

export interface LatencySummary {
  /** Milliseconds; NaN-free (0 when there were no samples). */
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

/**
 * One window's latency per pod in the buckets of core/latency-buckets.ts, counted as the
 * responses arrived (exact). Passed beside a LoadTick, never stored in one (the timeline would
 * grow by a count array per pod per second).
 */
export type WindowLatency = Record<string, BucketCounts>;

export interface PodCounts {
  requests: number;
  errors: number;
  latency: LatencySummary;
}

/** One second (window) of a run: only what happened in that window. */
export interface LoadTick {
  /** 1-based index of the window since the load started. */
  second: number;
  /** Window end, ms since the load started. */
  elapsedMs: number;
  requests: number;
  errors: ErrorCounts;
  /** Requests the schedule wanted sent in this window (open model) or sent (closed). */
  scheduled: number;
  /** Requests sent but not yet answered at the end of the window. */
  inflight: number;
  /** Users active (closed model), 0 for open. */
  users: number;
  latency: LatencySummary;
  /** Keyed by pod name (from the pod header). */
  pods: Record<string, PodCounts>;
  statusCodes: Record<string, number>;
  /** Requests the open schedule wanted in this window but dropped (maxInflight reached). Added; always set by the load generator. */
  dropped?: number;
}

export interface LoadReport {
  /** Wall-clock epoch ms. */
  startedAt: number;
  endedAt: number;
  durationMs: number;
  /** True when stop() ended it before the schedule did. */
  stoppedEarly: boolean;
  requests: number;
  errors: ErrorCounts;
  statusCodes: Record<string, number>;
  latency: LatencySummary;
  pods: Record<string, PodCounts>;
  timeline: LoadTick[];
  /** Worker threads used. */
  workers: number;
  /** Requests the open-model schedule wanted but could not send because maxInflight was reached. */
  dropped: number;
  /** Distributed load: worker processes that went away before they finished, and the load they took with them. */
  lost?: LostLoad;
}

/** The load lost with workers that died (distributed runs). */
export interface LostLoad {
  workers: Array<{ index: number; atMs: number; reportedMs: number; reportedRequests: number; reason: string }>;
  /** Open model: requests the lost workers' shares of the schedule still had to send when they died. */
  requests?: number;
  /** Closed model: users the lost workers ran. */
  users?: number;
  /** Fraction of the planned load lost (requests, or user-time for the closed model). */
  share: number;
}
