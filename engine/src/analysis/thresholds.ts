import { durationMs } from '../core/duration.js';
import type { ThresholdResult, Verdict } from '../core/result.js';

/**
 * Pass/fail thresholds, as k6 thresholds: each one passes or fails and the CLI exits 1 when any
 * fails. `balance` passes only on a verdict of balanced: sampling noise (balanced with a score
 * just under the limit) never fails a run, and neither does it pass one that could not be judged
 * (no-data, insufficient-data); nor does `maxShareRatio`, which otherwise compares the measured
 * figure as it is (no allowance for noise: a limit an SRE states is the limit). A run without
 * one successful response fails a `responses` check whatever was configured: a load test that
 * measured nothing has not passed.
 */
export interface ThresholdSpec {
  /** Minimum Jain score (also the detector's threshold). */
  balance?: number;
  /** Maximum p99 latency, ms. */
  p99Ms?: number;
  /** Maximum fraction of requests that failed. */
  errorRate?: number;
  /**
   * Maximum of the hottest pod's share over its expected share, on the run's basis (balance.ts
   * `maxMean`): 1.5 lets no pod take more than 1.5× its share. Jain's index barely moves for one
   * hot pod among many (50 pods, one at 2×: 0.98), so this is how that limit is stated.
   */
  maxShareRatio?: number;
}

/** The thresholds of a validated TestSpec (`thresholds`), in the units evaluateThresholds reads. */
export function thresholdSpecOf(t: { balance: number; p99?: string; errorRate?: number; maxShareRatio?: number }): ThresholdSpec & { balance: number } {
  return {
    balance: t.balance,
    p99Ms: t.p99 !== undefined ? durationMs(t.p99) : undefined,
    errorRate: t.errorRate,
    maxShareRatio: t.maxShareRatio,
  };
}

export interface ThresholdInput {
  score: number;
  verdict: Verdict;
  /** The hottest pod's share over its expected share on the run's basis (balance.ts `maxMean`). */
  maxShareRatio?: number;
  /** The pod `maxShareRatio` is about. */
  hottest?: string;
  /** Why the verdict is no-data or insufficient-data. */
  reason?: string;
  p99Ms: number;
  errorRate: number;
  /** Responses with a status below 400; when 0 the run fails a `responses` check. Default: not checked. */
  okResponses?: number;
}

/** Evaluates the configured thresholds, in a fixed order (balance, maxShareRatio, p99, errorRate). */
export function evaluateThresholds(spec: ThresholdSpec, m: ThresholdInput): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  if (spec.balance !== undefined) {
    const pass = m.verdict === 'balanced';
    out.push({ name: 'balance', limit: spec.balance, value: m.score, pass, ...(!pass && m.reason ? { reason: m.reason } : {}) });
  }
  if (spec.maxShareRatio !== undefined) out.push(maxShareRatioResult(spec.maxShareRatio, m));
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

/** The `maxShareRatio` outcome: names the hottest pod, and why it failed. */
function maxShareRatioResult(limit: number, m: ThresholdInput): ThresholdResult {
  const value = m.maxShareRatio ?? 0;
  const pod = m.hottest !== undefined ? { pod: m.hottest } : {};
  if (m.verdict === 'no-data' || m.verdict === 'insufficient-data') {
    return { name: 'maxShareRatio', limit, value, pass: false, ...pod, reason: m.reason ?? `the balance could not be judged (${m.verdict})` };
  }
  const pass = value <= limit;
  return {
    name: 'maxShareRatio',
    limit,
    value,
    pass,
    ...pod,
    ...(pass ? {} : { reason: `${m.hottest ?? 'a pod'} took ${value.toFixed(2)}× its expected share (limit ${limit}×)` }),
  };
}
