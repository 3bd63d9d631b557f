import type { WindowBalance } from '../analysis/balance-tracker.js';
import { byPodName } from '../analysis/balance-tracker.js';
import { pointBalanceOf } from '../analysis/run-judgement.js';
import type { ErrorBreakdown, PodResult, Result, TimelinePoint } from '../core/result.js';
import { round, toSeconds } from '../core/result-numbers.js';
import { NO_POD, UNKNOWN_POD, type LoadReport, type LoadTick } from '../load/load-report.js';
import type { DeclaredPods, Roster } from '../targets/declared-pods.js';

/**
 * How a live run's measurements read as parts of its Result: a load window as a timeline point
 * and as per-pod rows, the pods that responses named, a distributed run's workers. Pure; TestRun
 * (test-run.ts) keeps the state and calls these.
 */

/** A load window scored as `w`, as the run's timeline shows it (`timeline`: the points before it). */
export function timelinePoint(t: LoadTick, w: WindowBalance, counts: Record<string, number>, timeline: readonly TimelinePoint[]): TimelinePoint {
  return {
    t: round(t.elapsedMs / 1000, 3),
    requests: t.requests,
    errors: errorTotal(t.errors),
    rps: t.elapsedMs > 0 ? t.requests / windowSeconds(t, timeline) : 0,
    latency: { p50: toSeconds(t.latency.p50), p99: toSeconds(t.latency.p99) },
    pods: counts,
    ...pointBalanceOf(w),
    inflight: t.inflight,
    users: t.users,
    ...(t.elapsedMs < t.second * 1000 ? { partial: true as const } : {}),
  };
}

/** The per-pod rows of one window: the pods judged and those that answered. */
export function podsOfWindow(t: LoadTick, w: WindowBalance): PodResult[] {
  const names = [...new Set([...w.pods, ...Object.keys(attributed(t.pods))])].sort(byPodName);
  return names.map((name) => {
    const c = t.pods[name];
    const i = w.pods.indexOf(name);
    return {
      name,
      requests: c?.requests ?? 0,
      share: i >= 0 ? w.shares[i] : 0,
      expectedShare: i >= 0 ? w.expectedShares[i] : 0,
      errors: c?.errors ?? 0,
      latency: { p50: toSeconds(c?.latency.p50 ?? 0), p99: toSeconds(c?.latency.p99 ?? 0) },
      eligible: i >= 0,
    };
  });
}

/** Requests per pod that responses named (without the unknown and no-pod buckets). */
export function attributed(pods: Record<string, { requests: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, c] of Object.entries(pods)) if (name !== UNKNOWN_POD && name !== NO_POD) out[name] = c.requests;
  return out;
}

/** A distributed run's workers, and what the lost ones took with them (times in seconds). */
export function workersOf(count: number, report: LoadReport | undefined): NonNullable<Result['workers']> {
  const lost = report?.lost;
  return {
    count,
    lost: (lost?.workers ?? []).map((w) => ({ index: w.index, t: round(w.atMs / 1000, 3), reason: w.reason })),
    ...(lost?.requests !== undefined ? { lostRequests: lost.requests } : {}),
    ...(lost?.users !== undefined ? { lostUsers: lost.users } : {}),
    lostShare: round(lost?.share ?? 0, 6),
  };
}

export function declaredOf(d: DeclaredPods, r: Roster): NonNullable<Result['declaredPods']> {
  return { count: d.count, silent: r.silent, undeclared: r.undeclared };
}

export function errorTotal(e: ErrorBreakdown): number {
  return e.connect + e.timeout + e.status + e.reset + e.other;
}

/** Length of the window `t` closes, in seconds (never 0). */
export function windowSeconds(t: LoadTick, timeline: readonly TimelinePoint[]): number {
  const prev = timeline.at(-1)?.t ?? 0;
  return Math.max(1e-3, t.elapsedMs / 1000 - prev);
}
