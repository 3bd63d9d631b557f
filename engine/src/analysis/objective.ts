import type { Result } from '../core/result.js';
import { durationMs } from '../core/duration.js';

/**
 * What "best" means, for the auto-tuner and for `scale compare`'s default ranking (one meaning,
 * one comparator: {@link compareScores}): **maximise balance subject to a p99 limit and an
 * error-rate limit; ties broken by lower p99.**
 *
 * "Balance" is the Result's balance score, on the basis the verdict used (README "The balance
 * score"): pod work where busy time is known, else requests. Work comes first because a good
 * policy sends *less* to a slow pod: round-robin spreads requests perfectly across a pod five
 * times slower while that pod is saturated, so the request score would reward exactly the
 * setting the tuner is meant to replace.
 *
 * Limits come from the tuner's options, else the spec's thresholds. Without a p99 limit the
 * default is relative: at most `maxP99Ratio` (1.1) times the current setting's p99 plus
 * `p99SlackMs` (5 ms), so the tuner
 * never buys balance with latency. A candidate over a limit is infeasible and ranks below every
 * feasible one (infeasible ones rank by how far over they are).
 */
export interface Objective {
  /** Absolute p99 limit in ms; undefined: relative to the current setting (`maxP99Ratio`). */
  p99LimitMs?: number;
  /** Used when `p99LimitMs` is undefined and the current p99 is known. Default 1.1. */
  maxP99Ratio: number;
  /**
   * Added to the relative limit, in ms. Default 5: a p99 of a few ms moves by more than 10%
   * with timer noise on a loaded machine, which must not make a candidate infeasible.
   */
  p99SlackMs: number;
  /** Error-rate limit (0..1). Default: the spec's threshold, else 0.01. */
  errorRateLimit: number;
  /**
   * Balances closer than this are a tie, broken by lower p99. Default 0.01: below that the Jain
   * index of a few-second window is within its own sampling noise.
   */
  tieTolerance: number;
}

/** Overrides a caller may give (the API's `objective` body, CLI flags). */
export type ObjectiveInput = Partial<Objective>;

export const DEFAULT_OBJECTIVE: Objective = { maxP99Ratio: 1.1, p99SlackMs: 5, errorRateLimit: 0.01, tieTolerance: 0.01 };

/** The thresholds of a TestSpec that the objective reads (a TestSpec is one). */
export interface ObjectiveThresholds {
  thresholds?: { p99?: string; errorRate?: number };
}

/** The objective for `spec`: the caller's overrides, else the spec's thresholds, else defaults. */
export function objectiveFor(spec: ObjectiveThresholds | undefined, input: ObjectiveInput = {}): Objective {
  const t = spec?.thresholds;
  return {
    ...DEFAULT_OBJECTIVE,
    ...(t?.p99 !== undefined ? { p99LimitMs: durationMs(t.p99) } : {}),
    ...(t?.errorRate !== undefined ? { errorRateLimit: t.errorRate } : {}),
    ...stripUndefined(input),
  };
}

/** The numbers the objective looks at, from a live or simulated Result. */
export interface Score {
  /** The Result's balance score (0..1), on its basis (README "The balance score"). */
  balance: number;
  /** Which basis `balance` was judged on. */
  balanceKind: 'utilisation' | 'requests';
  /** Request score (Jain over requests / expected share). */
  countScore: number;
  /** Utilisation balance; null when the target does not expose busy time. */
  utilisation: number | null;
  p50Ms: number;
  p99Ms: number;
  errorRate: number;
  requests: number;
}

/** Reads a Result's objective numbers (Result latencies are in seconds). */
export function scoreOf(r: Result): Score {
  const b = r.balance;
  return {
    balance: b.score,
    // Results stored before the basis existed were judged on requests.
    balanceKind: b.basis ?? 'requests',
    countScore: b.requestScore ?? b.score,
    utilisation: b.utilisation !== null && Number.isFinite(b.utilisation) ? b.utilisation : null,
    p50Ms: round(r.latency.p50 * 1000),
    p99Ms: round(r.latency.p99 * 1000),
    errorRate: r.totals.errorRate,
    requests: r.totals.requests,
  };
}

/** Feasibility of a score: which limits it breaks, and by how much in total (relative). */
export interface Feasibility {
  feasible: boolean;
  /** Names of the limits broken ("p99", "errorRate"). */
  violations: string[];
  /** Sum of relative excesses over the limits (0 when feasible); ranks infeasible candidates. */
  excess: number;
}

/** The p99 limit in force: absolute, else `maxP99Ratio` × the current p99 + `p99SlackMs`, else none. */
export function p99Limit(o: Objective, currentP99Ms?: number): number | undefined {
  if (o.p99LimitMs !== undefined) return o.p99LimitMs;
  return currentP99Ms !== undefined && currentP99Ms > 0 ? currentP99Ms * o.maxP99Ratio + o.p99SlackMs : undefined;
}

export function feasibility(s: Score, o: Objective, currentP99Ms?: number): Feasibility {
  const violations: string[] = [];
  let excess = 0;
  const limit = p99Limit(o, currentP99Ms);
  if (limit !== undefined && s.p99Ms > limit) {
    violations.push('p99');
    excess += (s.p99Ms - limit) / limit;
  }
  if (s.errorRate > o.errorRateLimit) {
    violations.push('errorRate');
    excess += (s.errorRate - o.errorRateLimit) / Math.max(o.errorRateLimit, 1e-6);
  }
  return { feasible: violations.length === 0, violations, excess };
}

/**
 * Orders two scores, best first (negative when `a` is better), for Array.sort: feasible before
 * infeasible (less excess first); then higher balance, compared in bands of `tieTolerance`; then lower p99.
 */
export function compareScores(a: Score, b: Score, o: Objective, currentP99Ms?: number): number {
  const fa = feasibility(a, o, currentP99Ms);
  const fb = feasibility(b, o, currentP99Ms);
  if (fa.feasible !== fb.feasible) return fa.feasible ? -1 : 1;
  if (!fa.feasible && fa.excess !== fb.excess) return fa.excess - fb.excess;
  // Balances tie when they fall in the same band of width tieTolerance. A band, not "closer than
  // the tolerance": that relation is not transitive (a≈b, b≈c, a>c), which makes Array.sort's
  // order depend on the input order.
  const band = (v: number) => Math.round(v / o.tieTolerance);
  if (band(a.balance) !== band(b.balance)) return band(b.balance) - band(a.balance);
  return a.p99Ms - b.p99Ms;
}

/** True when `a` is strictly better than `b` under the objective (not a tie). */
export function isBetter(a: Score, b: Score, o: Objective, currentP99Ms?: number): boolean {
  const fa = feasibility(a, o, currentP99Ms);
  const fb = feasibility(b, o, currentP99Ms);
  if (fa.feasible !== fb.feasible) return fa.feasible;
  if (!fa.feasible) return fa.excess < fb.excess;
  if (Math.abs(a.balance - b.balance) > o.tieTolerance) return a.balance > b.balance;
  // A tie on balance: better only when p99 is clearly lower (5%), so noise never flips a setting.
  return a.p99Ms < b.p99Ms * 0.95;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
