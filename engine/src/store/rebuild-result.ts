import { byPodName } from '../analysis/balance-tracker.js';
import { analyseBalance } from '../analysis/balance.js';
import { evaluateThresholds, thresholdSpecOf } from '../analysis/thresholds.js';
import type { LatencySeconds, PodResult, Result, RunStatus, TimelinePoint, FaultSummary, TuningRecord } from '../core/result.js';
import { round } from '../core/result-numbers.js';
import { capacityOf } from '../runs/plan.js';
import type { TestSpec } from '../spec/test-spec.js';
import { labPodNames } from '../spec/pod-names.js';

/** What the store still has of a run that never delivered its final Result. */
export interface PartialRun {
  id: string;
  spec: TestSpec;
  status: RunStatus;
  startedAt: string;
  endedAt: string | null;
  samples: readonly TimelinePoint[];
}

/**
 * Rebuilds a Result from a run's per-second samples, for runs that are still going or that
 * died with the engine. Pure. Exact: totals, per-pod request counts, the timeline. Approximate,
 * because a sample keeps only request counts and two percentiles per window:
 * - latency: p50 is the request-weighted median of the windows' p50, p99 and max are the
 *   largest window p99 (an upper bound for p99, a lower bound for max), p90 the
 *   request-weighted mean of the windows' p99, mean the request-weighted mean of the windows'
 *   p50 (the median stands in for each window's mean, low for right-skewed latency);
 * - pods: every pod is taken as eligible for the whole run (a lab's pod-1..pod-N, plus any pod
 *   that served), so a pod that was down for a while lowers the score where the live run
 *   would not have; per-pod errors and latency are unknown and reported as 0;
 * - errors: the kind is unknown, so all are counted under `errorsByKind.other`; status codes
 *   and dropped requests are unknown (empty, 0); utilisation balance is null, so the verdict
 *   is judged on requests (basis `requests`) even when the live run judged work.
 */
export function rebuildResult(run: PartialRun): Result {
  const { spec, samples } = run;
  const duration = samples.at(-1)?.t ?? 0;
  const requests = sum(samples.map((p) => p.requests));
  const errors = sum(samples.map((p) => p.errors));
  const errorRate = requests > 0 ? errors / requests : 0;

  const perPod = new Map<string, number>();
  if (spec.target.kind === 'lab') for (const name of labPodNames(spec.target.pods)) perPod.set(name, 0);
  for (const p of samples) for (const [name, n] of Object.entries(p.pods)) perPod.set(name, (perPod.get(name) ?? 0) + n);
  const names = [...perPod.keys()].sort(byPodName);
  const counts = names.map((n) => perPod.get(n) ?? 0);
  const capacity = capacityOf(spec);
  const stats = analyseBalance(
    counts,
    names.map((n) => capacity(n)),
    { threshold: spec.thresholds.balance },
  );
  const pods: PodResult[] = names.map((name, i) => ({
    name,
    requests: counts[i],
    share: stats.shares[i],
    expectedShare: stats.expectedShares[i],
    errors: 0,
    latency: { p50: 0, p99: 0 },
    eligible: true,
  }));

  const latency = latencyFromSamples(samples);
  return {
    id: run.id,
    spec,
    status: run.status,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    duration,
    totals: { requests, errors, rps: duration > 0 ? round(requests / duration, 2) : 0, errorRate, dropped: 0 },
    errorsByKind: { connect: 0, timeout: 0, status: 0, reset: 0, other: errors },
    statusCodes: {},
    latency,
    pods,
    balance: {
      score: stats.score,
      cov: stats.cov,
      maxMean: stats.maxMean,
      chiSquareP: stats.chiSquareP,
      verdict: stats.verdict,
      // Samples keep no busy time: a rebuilt run is judged on requests.
      basis: 'requests',
      requestScore: stats.score,
      utilisation: null,
    },
    thresholds: evaluateThresholds(
      thresholdSpecOf(spec.thresholds),
      {
        score: stats.score,
        verdict: stats.verdict,
        maxShareRatio: stats.maxMean,
        ...(stats.hottest >= 0 ? { hottest: names[stats.hottest] } : {}),
        p99Ms: latency.p99 * 1000,
        errorRate,
      },
    ),
    timeline: [...samples],
  };
}

/** Whole-run latency estimated from per-window percentiles (see rebuildResult). */
export function latencyFromSamples(samples: readonly TimelinePoint[]): LatencySeconds {
  const served = samples.filter((p) => p.requests > 0);
  if (served.length === 0) return { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const weights = served.map((p) => p.requests);
  const total = sum(weights);
  const p50 = weightedQuantile(
    served.map((p) => p.latency.p50),
    weights,
    0.5,
  );
  const worst = Math.max(...served.map((p) => p.latency.p99));
  const meanP99 = sum(served.map((p, i) => p.latency.p99 * weights[i])) / total;
  const meanP50 = sum(served.map((p, i) => p.latency.p50 * weights[i])) / total;
  // Keep the percentiles ordered even when windows disagree wildly.
  const p90 = Math.min(worst, Math.max(p50, meanP99));
  return { mean: meanP50, p50, p90, p99: worst, max: worst };
}

/** The smallest value whose cumulative weight reaches q of the total (values paired with weights). */
export function weightedQuantile(values: readonly number[], weights: readonly number[], q: number): number {
  const order = values.map((v, i) => [v, weights[i]] as const).sort((a, b) => a[0] - b[0]);
  const total = sum(weights);
  let acc = 0;
  for (const [v, w] of order) {
    acc += w;
    if (acc >= q * total) return v;
  }
  return order.at(-1)?.[0] ?? 0;
}

function sum(a: readonly number[]): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

/**
 * The faults of a run rebuilt from its stored fault events (`fault-started`, `fault-ended`,
 * `fault-failed`, each carrying the fault's record): the latest record of each fault wins.
 * Times are seconds from the run's start (the live Result counts from the load start, a few
 * milliseconds later). Records that do not parse are skipped.
 */
export function faultsFromEvents(events: readonly { type: string; data: unknown }[], runStartedAt: string): FaultSummary[] {
  const t0 = Date.parse(runStartedAt);
  const seconds = (iso: unknown) => (typeof iso === 'string' && !Number.isNaN(Date.parse(iso)) ? Math.max(0, (Date.parse(iso) - t0) / 1000) : null);
  const latest = new Map<string, FaultSummary>();
  for (const e of events) {
    if (!e.type.startsWith('fault-') || !e.data || typeof e.data !== 'object') continue;
    const r = e.data as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.type !== 'string') continue;
    latest.set(r.id, {
      id: r.id,
      type: r.type,
      pods: Array.isArray(r.pods) ? r.pods.filter((p): p is string => typeof p === 'string') : [],
      startedAt: seconds(r.startedAt) ?? 0,
      endedAt: seconds(r.endedAt),
      params: r.params && typeof r.params === 'object' ? (r.params as Record<string, unknown>) : {},
      ...(typeof r.endReason === 'string' ? { endReason: r.endReason } : {}),
      ...(typeof r.error === 'string' ? { error: r.error } : {}),
    });
  }
  return [...latest.values()];
}

/**
 * The tuner's records of a run from its stored events of type `tuning` (decisions and reverts),
 * in the order they were stored. Records that do not parse are skipped.
 */
export function tuningFromEvents(events: readonly { at: string; type: string; data: unknown }[]): TuningRecord[] {
  const out: TuningRecord[] = [];
  for (const e of events) {
    if (e.type !== 'tuning' || !e.data || typeof e.data !== 'object') continue;
    const d = e.data as Record<string, unknown>;
    if (typeof d.action !== 'string') continue;
    out.push({ ...d, at: typeof d.at === 'string' ? d.at : e.at, action: d.action });
  }
  return out;
}

/** `r` with its tuning records attached (from the run's stored events), when there are any. */
export function withTuning(r: Result, events: readonly { at: string; type: string; data: unknown }[]): Result {
  const tuning = tuningFromEvents(events);
  return tuning.length > 0 ? { ...r, tuning } : r;
}
