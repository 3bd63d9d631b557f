import type { BalanceResult, PodResult, Verdict } from '../core/result.js';
import { latencyFromSummary } from './latency-summary.js';
import { UNATTRIBUTED_POD, type MetricSet } from './metric-set.js';
import type { TestSeries } from './test-series.js';

/**
 * The part of a RunTick (runs/run-events.ts) the metrics read; a RunTick is one. Kept narrow so tests can
 * hand-build ticks and so a field added to RunTick cannot silently change a metric.
 */
export interface MetricsTick {
  window: {
    /** Requests in the window, attributed to a pod or not. */
    requests: number;
    errors: number;
    balance: Pick<BalanceResult, 'score' | 'cov' | 'maxMean' | 'chiSquareP' | 'verdict'>;
  };
  /** The verdict scale_imbalance reads when present (runs/run-events.ts RunTick.recent); else the window's. */
  recent?: { verdict: Verdict };
  pods: ReadonlyArray<Pick<PodResult, 'name' | 'requests' | 'errors' | 'share' | 'expectedShare'> & { latency: { p50: number; p99: number } }>;
}

/** Where latency comes from: the tick's per-window quantiles, or an external feeder of samples. */
export type LatencySource = 'summary' | 'external';

/**
 * Applies one 1 s window to the metrics: request counters, per-pod share, balance gauges and
 * (in `summary` mode) the approximate latency histogram.
 */
export function applyTick(m: MetricSet, series: TestSeries, tick: MetricsTick, latency: LatencySource): void {
  const test = series.test;
  let podRequests = 0;
  let podErrors = 0;
  const seen = new Set<string>();
  for (const p of tick.pods) {
    seen.add(p.name);
    const errors = clampCount(p.errors);
    const requests = clampCount(p.requests);
    podRequests += requests;
    podErrors += errors;
    series.countRequests(m, p.name, 'ok', Math.max(0, requests - errors));
    series.countRequests(m, p.name, 'error', Math.min(errors, requests));
    m.podShare.set({ test, pod: p.name }, finiteOr(p.share, 0));
    series.setExpectedShare(m, p.name, finiteOr(p.expectedShare, 0));
    series.sharePods.add(p.name);
    if (latency === 'summary') {
      // Every request attributed to a pod came with that pod's response header, so it has a latency.
      const observations = latencyFromSummary(requests, p.latency.p50, p.latency.p99);
      if (observations.length > 0) {
        const child = series.latency(m, p.name);
        for (const [seconds, count] of observations) child.observe(seconds, count);
      }
    }
  }
  // A pod that left the tick (gone from discovery, no traffic) took no share of this window.
  for (const pod of series.sharePods)
    if (!seen.has(pod)) {
      m.podShare.set({ test, pod }, 0);
      series.setExpectedShare(m, pod, 0);
    }

  // Requests without a pod (connection refused, reset before headers, no pod header) would
  // otherwise vanish from error-rate queries; they are the window total minus the pods' sum.
  const unattributed = clampCount(tick.window.requests) - podRequests;
  if (unattributed > 0) {
    const errors = Math.min(unattributed, Math.max(0, clampCount(tick.window.errors) - podErrors));
    series.countRequests(m, UNATTRIBUTED_POD, 'ok', unattributed - errors);
    series.countRequests(m, UNATTRIBUTED_POD, 'error', errors);
  }

  const b = tick.window.balance;
  m.balanceScore.set({ test }, finiteOr(b.score, 1));
  m.balanceCov.set({ test }, finiteOr(b.cov, 0));
  m.balanceMaxMean.set({ test }, finiteOr(b.maxMean, 1));
  m.balanceChi2P.set({ test }, finiteOr(b.chiSquareP, 1));
  m.imbalance.set({ test }, (tick.recent?.verdict ?? b.verdict) === 'imbalanced' ? 1 : 0);
}

function clampCount(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** prom-client prints NaN as "Nan"; a gauge should hold a number, and these fallbacks are the "no traffic" values of analysis/balance.ts. */
function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}
