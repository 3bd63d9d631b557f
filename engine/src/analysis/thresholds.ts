import type { Verdict } from './balance.js';

/**
 * Pass/fail thresholds, as k6 thresholds: each one passes or fails and the CLI exits 1 when any
 * fails. `balance` passes unless the verdict is imbalanced, so that sampling noise (a verdict
 * of balanced with a score just under the limit) never fails a run.
 */
export interface ThresholdSpec {
  /** Minimum Jain score (also the detector's threshold). */
  balance?: number;
  /** Maximum p99 latency, ms. */
  p99Ms?: number;
  /** Maximum fraction of requests that failed. */
  errorRate?: number;
}

export interface ThresholdResult {
  name: 'balance' | 'p99' | 'errorRate';
  /** The limit as configured (p99 in seconds, like every time in a Result). */
  limit: number;
  /** The measured value (p99 in seconds). */
  value: number;
  pass: boolean;
}

export interface ThresholdInput {
  score: number;
  verdict: Verdict;
  p99Ms: number;
  errorRate: number;
}

/** Evaluates the configured thresholds, in a fixed order (balance, p99, errorRate). */
export function evaluateThresholds(spec: ThresholdSpec, m: ThresholdInput): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  if (spec.balance !== undefined) {
    out.push({ name: 'balance', limit: spec.balance, value: m.score, pass: m.verdict !== 'imbalanced' });
  }
  if (spec.p99Ms !== undefined) {
    out.push({ name: 'p99', limit: spec.p99Ms / 1000, value: m.p99Ms / 1000, pass: m.p99Ms <= spec.p99Ms });
  }
  if (spec.errorRate !== undefined) {
    out.push({ name: 'errorRate', limit: spec.errorRate, value: m.errorRate, pass: m.errorRate <= spec.errorRate });
  }
  return out;
}
