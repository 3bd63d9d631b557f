import type { BalanceResult, Verdict } from '../core/result.js';
import { formatSpecDuration } from '../core/duration.js';
import { compareScores, DEFAULT_OBJECTIVE, feasibility, objectiveFor, scoreOf, type Objective, type Score } from '../analysis/objective.js';
import { POLICY_NAMES, type PolicyName, type PolicyOptions } from '../policies/policy.js';
import { simulate, simulateAsync, type SimOutcome, type SimulateAsyncOptions, type SimulateOptions } from './simulate.js';
import type { SimPlan } from './sim-plan.js';

/** One policy with one set of parameter values, as a row of a comparison. */
export interface CompareCandidate {
  /** "power-of-two", or with parameters "power-of-two(choices=3)". */
  label: string;
  policy: PolicyName;
  policyOptions: Partial<PolicyOptions>;
}

/** Parameter values to try, for the policies that read them. */
export interface CompareParams {
  /** power-of-two and peak-ewma: candidate counts d. */
  choices?: number[];
  /** peak-ewma: decay time constants, ms. */
  decayMs?: number[];
}

/**
 * What a comparison is ranked by. `balance` (the default) is the tuner's objective
 * (tuning/objective.ts): the balance score on its basis, among the policies whose p99 and error
 * rate are not far worse than the best one's. The others sort by one figure: `utilisation` and
 * `requests` (their Jain scores, higher first), `p99` (lower first).
 */
export type RankBy = 'balance' | 'utilisation' | 'requests' | 'p99';
export const RANK_BY: readonly RankBy[] = ['balance', 'utilisation', 'requests', 'p99'];

/** One row of the ranked table. Latencies in seconds, like every time in a Result. */
export interface CompareRow {
  rank: number;
  label: string;
  policy: PolicyName;
  policyOptions: Partial<PolicyOptions>;
  /** The balance score, on `basis` (README "The balance score"). */
  score: number;
  verdict: Verdict;
  basis: BalanceResult['basis'];
  /** Jain score of requests against expected shares. */
  requestScore: number;
  /** Utilisation balance (Jain over busy time per slot); null if nothing was served. */
  utilisation: number | null;
  p50: number;
  p99: number;
  errorRate: number;
  requests: number;
  /** True when every threshold of the workload passed. */
  pass: boolean;
  /** Ranked by balance: false when its p99 or error rate is over the limits (see comparePolicies). */
  feasible: boolean;
  /** The limits it broke ("p99", "errorRate"), when ranked by balance. */
  violations: string[];
  simulatedRequestsPerSecond: number;
}

/**
 * The candidates for `policies` (default: every registered policy): one per policy, or one per
 * value of each parameter the policy reads (power-of-two × choices, peak-ewma × choices × decay).
 */
export function compareCandidates(policies: readonly PolicyName[] = POLICY_NAMES, params: CompareParams = {}): CompareCandidate[] {
  const out: CompareCandidate[] = [];
  for (const policy of policies) {
    const choices = policy === 'power-of-two' || policy === 'peak-ewma' ? params.choices : undefined;
    const decays = policy === 'peak-ewma' ? params.decayMs : undefined;
    for (const c of choices ?? [undefined]) {
      for (const d of decays ?? [undefined]) {
        const policyOptions: Partial<PolicyOptions> = {};
        const parts: string[] = [];
        if (c !== undefined) {
          policyOptions.choices = c;
          parts.push(`choices=${c}`);
        }
        if (d !== undefined) {
          policyOptions.decayMs = d;
          parts.push(`decay=${formatSpecDuration(d)}`);
        }
        out.push({ label: parts.length ? `${policy}(${parts.join(',')})` : policy, policy, policyOptions });
      }
    }
  }
  return out;
}

/**
 * How far over the best p99 a policy may be and still be ranked by balance: 2× (+5 ms). The
 * tuner's default is 1.1× of the *current* setting's (it must not make things worse); here the
 * reference is the best candidate's, and a policy that evens out the work at 1.6× the p99 of
 * one that starves the slow pod is a fair first.
 */
export const COMPARE_P99_RATIO = 2;

/**
 * Simulates the same workload (`plan`, seed included: every candidate sees the same arrivals,
 * common random numbers) under every candidate and ranks them by `rankBy`.
 *
 * The default, `balance`, is what "best" means everywhere in Scale (the auto-tuner ranks its
 * candidates with the same comparator, tuning/objective.ts): the highest balance score, among the
 * candidates whose p99 is within 2× (+5 ms) of the best p99 and whose error rate is within the
 * spec's limit (else 1 point) of the best error rate; ties within 0.01 go to the lower p99; a
 * candidate over a limit ranks below every one within them. So a policy that is even by count
 * while its p99 is seconds is never first. Thresholds do not reorder the table (`pass` says
 * whether each row met them). The single-figure keys sort at the 4 decimals shown, ties by p99.
 */
export function comparePolicies(plan: SimPlan, candidates: readonly CompareCandidate[], rankBy: RankBy = 'balance', options: SimulateOptions = {}): CompareRow[] {
  return rankRows(plan, candidates.map((c) => compareRow(c, simulate(candidatePlan(plan, c), options))), rankBy);
}

/**
 * {@link comparePolicies} with each candidate simulated in slices (simulateAsync), so that a
 * server comparing for a few seconds keeps answering meanwhile. Same rows as comparePolicies.
 */
export async function comparePoliciesAsync(plan: SimPlan, candidates: readonly CompareCandidate[], rankBy: RankBy = 'balance', options: SimulateAsyncOptions = {}): Promise<CompareRow[]> {
  const rows: ScoredRow[] = [];
  for (const c of candidates) rows.push(compareRow(c, await simulateAsync(candidatePlan(plan, c), options)));
  return rankRows(plan, rows, rankBy);
}

/** A row with the objective's reading of its Result, until it is ranked. */
type ScoredRow = CompareRow & { s: Score };

function candidatePlan(plan: SimPlan, c: CompareCandidate): SimPlan {
  return { ...plan, policy: c.policy, policyOptions: { ...plan.policyOptions, ...c.policyOptions } };
}

function compareRow(c: CompareCandidate, o: SimOutcome): ScoredRow {
  const r = o.result;
  return {
    rank: 0,
    label: c.label,
    policy: c.policy,
    policyOptions: c.policyOptions,
    score: r.balance.score,
    verdict: r.balance.verdict,
    basis: r.balance.basis,
    requestScore: r.balance.requestScore,
    utilisation: r.balance.utilisation,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errorRate: r.totals.errorRate,
    requests: r.totals.requests,
    pass: r.thresholds.every((t) => t.pass),
    feasible: true,
    violations: [],
    simulatedRequestsPerSecond: o.simulatedRequestsPerSecond,
    s: scoreOf(r),
  };
}

/** Ranks rows by `rankBy` (see comparePolicies): the objective's limits come from the best row. */
function rankRows(plan: SimPlan, rows: ScoredRow[], rankBy: RankBy): CompareRow[] {
  const bestP99 = Math.min(...rows.map((r) => r.s.p99Ms));
  const bestErrors = Math.min(...rows.map((r) => r.s.errorRate));
  const base = objectiveFor(plan.spec, { maxP99Ratio: COMPARE_P99_RATIO, ...(plan.thresholds.p99Ms !== undefined ? { p99LimitMs: plan.thresholds.p99Ms } : {}) });
  const objective: Objective = { ...base, errorRateLimit: Math.max(base.errorRateLimit, bestErrors + (plan.thresholds.errorRate ?? DEFAULT_OBJECTIVE.errorRateLimit)) };
  if (rankBy === 'balance') {
    for (const r of rows) {
      const f = feasibility(r.s, objective, bestP99);
      r.feasible = f.feasible;
      r.violations = f.violations;
    }
  }
  rows.sort((a, b) => (rankBy === 'balance' ? compareScores(a.s, b.s, objective, bestP99) : byFigure(a, b, rankBy)) || a.label.localeCompare(b.label));
  return rows.map(({ s: _s, ...row }, i) => ({ ...row, rank: i + 1 }));
}

function byFigure(a: CompareRow, b: CompareRow, rankBy: Exclude<RankBy, 'balance'>): number {
  const key =
    rankBy === 'p99'
      ? a.p99 - b.p99
      : rankBy === 'utilisation'
        ? shown(b.utilisation ?? -1) - shown(a.utilisation ?? -1)
        : shown(b.requestScore) - shown(a.requestScore);
  return key || a.p99 - b.p99;
}

/** Scores compare at the 4 decimals the table shows, so that noise below that falls through to p99. */
function shown(v: number): number {
  return Math.round(v * 1e4);
}
