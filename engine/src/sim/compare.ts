import type { Verdict } from '../analysis/balance.js';
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

/** What a comparison is ranked by; ties fall through to the next key. */
export type RankBy = 'balance' | 'utilisation' | 'p99';

/** One row of the ranked table. Latencies in seconds, like every time in a Result. */
export interface CompareRow {
  rank: number;
  label: string;
  policy: PolicyName;
  policyOptions: Partial<PolicyOptions>;
  score: number;
  verdict: Verdict;
  /** Utilisation balance (Jain over busy time / capacity); null if nothing was served. */
  utilisation: number | null;
  p50: number;
  p99: number;
  errorRate: number;
  requests: number;
  /** True when every threshold of the workload passed. */
  pass: boolean;
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
          parts.push(`decay=${d}ms`);
        }
        out.push({ label: parts.length ? `${policy}(${parts.join(',')})` : policy, policy, policyOptions });
      }
    }
  }
  return out;
}

/**
 * Simulates the same workload (`plan`, seed included: every candidate sees the same arrivals,
 * common random numbers) under every candidate and ranks them by `rankBy`: balance (Jain score,
 * higher first), utilisation (utilisation balance, higher first) or p99 (lower first), scores
 * compared at the 4 decimals shown; ties broken by p99, then by the score, then by label.
 * Thresholds do not reorder the table (`pass` says whether each row met them): the default
 * balance threshold would otherwise sink exactly the policies that spare a slow pod. Choosing
 * under constraints is the auto-tuner's job.
 */
export function comparePolicies(plan: SimPlan, candidates: readonly CompareCandidate[], rankBy: RankBy = 'balance', options: SimulateOptions = {}): CompareRow[] {
  return rankRows(candidates.map((c) => compareRow(c, simulate(candidatePlan(plan, c), options))), rankBy);
}

/**
 * {@link comparePolicies} with each candidate simulated in slices (simulateAsync), so that a
 * server comparing for a few seconds keeps answering meanwhile. Same rows as comparePolicies.
 */
export async function comparePoliciesAsync(plan: SimPlan, candidates: readonly CompareCandidate[], rankBy: RankBy = 'balance', options: SimulateAsyncOptions = {}): Promise<CompareRow[]> {
  const rows: CompareRow[] = [];
  for (const c of candidates) rows.push(compareRow(c, await simulateAsync(candidatePlan(plan, c), options)));
  return rankRows(rows, rankBy);
}

function candidatePlan(plan: SimPlan, c: CompareCandidate): SimPlan {
  return { ...plan, policy: c.policy, policyOptions: { ...plan.policyOptions, ...c.policyOptions } };
}

function compareRow(c: CompareCandidate, o: SimOutcome): CompareRow {
  const r = o.result;
  return {
    rank: 0,
    label: c.label,
    policy: c.policy,
    policyOptions: c.policyOptions,
    score: r.balance.score,
    verdict: r.balance.verdict,
    utilisation: r.balance.utilisation,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errorRate: r.totals.errorRate,
    requests: r.totals.requests,
    pass: r.thresholds.every((t) => t.pass),
    simulatedRequestsPerSecond: o.simulatedRequestsPerSecond,
  };
}

function rankRows(rows: CompareRow[], rankBy: RankBy): CompareRow[] {
  rows.sort((a, b) => compareRows(a, b, rankBy));
  rows.forEach((r, i) => (r.rank = i + 1));
  return rows;
}

function compareRows(a: CompareRow, b: CompareRow, rankBy: RankBy): number {
  const key =
    rankBy === 'p99'
      ? a.p99 - b.p99
      : rankBy === 'utilisation'
        ? shown(b.utilisation ?? -1) - shown(a.utilisation ?? -1)
        : shown(b.score) - shown(a.score);
  return key || a.p99 - b.p99 || b.score - a.score || a.label.localeCompare(b.label);
}

/** Scores compare at the 4 decimals the table shows, so that noise below that falls through to p99. */
function shown(v: number): number {
  return Math.round(v * 1e4);
}
