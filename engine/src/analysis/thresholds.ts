import type { ThresholdResult, Verdict } from '../core/result.js';

/**
 * Pass/fail thresholds, as k6 thresholds: each one passes or fails and the CLI exits 1 when any
 * fails. `balance` passes only on a verdict of balanced: sampling noise (balanced with a score
 * just under the limit) never fails a run, and neither does it pass one that could not be judged
 * (no-data, insufficient-data). A run without one successful response fails a `responses` check
 * whatever was configured: a load test that measured nothing has not passed.
 */
export interface ThresholdSpec {
  /** Minimum Jain score (also the detector's threshold). */
  balance?: number;
  /** Maximum p99 latency, ms. */
  p99Ms?: number;
  /** Maximum fraction of requests that failed. */
  errorRate?: number;
}

export interface ThresholdInput {
  score: number;
  verdict: Verdict;
  /** Why the verdict is no-data or insufficient-data. */
  reason?: string;
  p99Ms: number;
  errorRate: number;
  /** Responses with a status below 400; when 0 the run fails a `responses` check. Default: not checked. */
  okResponses?: number;
}

/** Evaluates the configured thresholds, in a fixed order (balance, p99, errorRate). */
export function evaluateThresholds(spec: ThresholdSpec, m: ThresholdInput): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  if (spec.balance !== undefined) {
    const pass = m.verdict === 'balanced';
    out.push({ name: 'balance', limit: spec.balance, value: m.score, pass, ...(!pass && m.reason ? { reason: m.reason } : {}) });
  }
  if (spec.p99Ms !== undefined) {
    out.push({ name: 'p99', limit: spec.p99Ms / 1000, value: m.p99Ms / 1000, pass: m.p99Ms <= spec.p99Ms });
  }
  if (spec.errorRate !== undefined) {
    out.push({ name: 'errorRate', limit: spec.errorRate, value: m.errorRate, pass: m.errorRate <= spec.errorRate });
  }
  if (m.okResponses === 0) {
    out.push({ name: 'responses', limit: 1, value: 0, pass: false, reason: m.reason ?? 'no request got a successful response' });
  }
  return out;
}
