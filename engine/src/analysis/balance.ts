import gammainc from '@stdlib/math-base-special-gammainc';
import type { Verdict } from '../core/result.js';

/**
 * The balance score of ARCHITECTURE.md §5. Pure: counts in, statistics out.
 *
 * x_i = count_i / expectedShare_i, so a pod that should take twice the traffic is compared on
 * equal terms. Expected shares come from pod capacity (the spec's `expect`), never from the
 * balancer's weights: a balancer whose weights disagree with capacity is what we must catch.
 */
export interface BalanceOptions {
  /** Jain score below which a significant deviation is called imbalanced. Default 0.95. */
  threshold?: number;
  /** Significance level of the chi-square test. Default 0.001. */
  alpha?: number;
  /**
   * When `values` are sums of per-request amounts (busy time: each request adds its service
   * time), the sum of the squared amounts. Default: `values` are counts (each request adds 1, so
   * this is the total). It scales the chi-square test to the noise of weighted sums, and gives the
   * effective count (Σ)²/Σ² that the insufficient-data rule reads.
   */
  sumSquares?: number;
}

export interface BalanceStats {
  /** Jain's fairness index over x_i: 1/n (all on one pod) .. 1 (even). 0 when there is no traffic (verdict no-data). */
  score: number;
  /** Coefficient of variation (population standard deviation / mean) of x_i. */
  cov: number;
  /**
   * The hottest pod's share over its expected share: max over pods of share_i / expectedShare_i
   * (the peak-to-average ratio, the average being each pod's expected share). 1 when every pod
   * takes its share; with equal shares, max(x_i) / mean(x_i). 0 when there is no traffic. The
   * `maxShareRatio` threshold judges this figure.
   */
  maxMean: number;
  /** Index of the pod `maxMean` is about (the first when tied); -1 when there is no traffic. */
  hottest: number;
  /** Pearson's chi-square statistic against the expected counts. */
  chiSquare: number;
  /** Degrees of freedom (pods - 1). */
  df: number;
  /** Upper-tail p-value of chiSquare; 1 when df = 0 or there is no traffic. */
  chiSquareP: number;
  verdict: Verdict;
  /** Observed share of each pod (same order as the input). */
  shares: number[];
  /** Expected share of each pod, normalised to sum 1. */
  expectedShares: number[];
  total: number;
}

export const DEFAULT_BALANCE_THRESHOLD = 0.95;
export const DEFAULT_ALPHA = 0.001;
/** Chi-square is unreliable when an expected count is below 5 (Cochran's rule). */
const MIN_EXPECTED_COUNT = 5;

/**
 * Computes the balance statistics of `counts` against `capacity` (relative pod capacities, same
 * length; equal when omitted). Pass only the pods eligible for traffic (up, in the rotation).
 * `counts` may also be busy times (with `options.sumSquares`): the utilisation basis.
 *
 * Nothing to judge (no pod, or nothing served) is `no-data` with a score of 0, never a perfect
 * score: a target that is down must not pass for an even one.
 */
export function analyseBalance(
  counts: readonly number[],
  capacity?: readonly number[],
  options: BalanceOptions = {},
): BalanceStats {
  const n = counts.length;
  const threshold = options.threshold ?? DEFAULT_BALANCE_THRESHOLD;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const expectedShares = normalise(capacity ?? counts.map(() => 1));
  const total = sum(counts);
  const shares = counts.map((c) => (total > 0 ? c / total : 0));
  if (n === 0 || total === 0) {
    return { score: 0, cov: 0, maxMean: 0, hottest: -1, chiSquare: 0, df: Math.max(0, n - 1), chiSquareP: 1, verdict: 'no-data', shares, expectedShares, total };
  }
  // Pearson's statistic on weighted sums: Σ (v_i - T e_i)² / (e_i Q), with Q the sum of the
  // squared weights (Q = T for counts, the classic form). Under random placement of requests
  // with independent weights its covariance is Q (diag(e) - e eᵀ), so it is chi-square(n - 1)
  // in the limit, as for counts. The effective count T²/Q (Kish) is the count the rule of 5 reads.
  const q = options.sumSquares !== undefined && options.sumSquares > 0 ? options.sumSquares : total;
  const x = counts.map((c, i) => c / expectedShares[i]);
  const score = jain(x);
  const mean = sum(x) / n;
  const variance = x.reduce((a, v) => a + (v - mean) * (v - mean), 0) / n;
  const cov = mean > 0 ? Math.sqrt(variance) / mean : 0;
  // Against each pod's own expected share, not the unweighted mean of x: with unequal shares
  // that mean is no pod's expectation, and "no pod takes more than 1.5× its share" must read
  // the same whatever the weights (with equal shares the two are the same number).
  const { ratio: maxMean, index: hottest } = maxShareRatio(shares, expectedShares);
  let chiSquare = 0;
  let minExpected = Infinity;
  const effective = (total * total) / q;
  for (let i = 0; i < n; i++) {
    const e = total * expectedShares[i];
    minExpected = Math.min(minExpected, effective * expectedShares[i]);
    chiSquare += e > 0 ? ((counts[i] - e) * (counts[i] - e)) / (expectedShares[i] * q) : 0;
  }
  const df = n - 1;
  const chiSquareP = chiSquarePValue(chiSquare, df);
  const verdict: Verdict =
    minExpected < MIN_EXPECTED_COUNT
      ? 'insufficient-data'
      : score < threshold && chiSquareP < alpha
        ? 'imbalanced'
        : 'balanced';
  return { score, cov, maxMean, hottest, chiSquare, df, chiSquareP, verdict, shares, expectedShares, total };
}

/**
 * The largest share_i / expectedShare_i and its index (the first when tied). Pods expected to
 * take nothing are left out (they are not in rotation). Index -1 when no pod is expected to take
 * anything.
 */
function maxShareRatio(shares: readonly number[], expectedShares: readonly number[]): { ratio: number; index: number } {
  let ratio = 0;
  let index = -1;
  for (let i = 0; i < shares.length; i++) {
    if (!(expectedShares[i] > 0)) continue;
    const r = shares[i] / expectedShares[i];
    if (index < 0 || r > ratio) {
      ratio = r;
      index = i;
    }
  }
  return { ratio, index };
}

/** Jain's fairness index (Jain, Chiu, Hawe, DEC-TR-301, 1984): (Σx)² / (n·Σx²). */
export function jain(x: readonly number[]): number {
  const n = x.length;
  if (n === 0) return 1;
  let s = 0;
  let s2 = 0;
  for (const v of x) {
    s += v;
    s2 += v * v;
  }
  return s2 === 0 ? 1 : (s * s) / (n * s2);
}

/** P(X >= chiSquare) for X ~ chi-square(df): the regularised upper incomplete gamma Q(df/2, x/2). */
export function chiSquarePValue(chiSquare: number, df: number): number {
  if (df <= 0) return 1;
  if (!(chiSquare > 0)) return 1;
  return gammainc(chiSquare / 2, df / 2, true, true);
}

/**
 * Utilisation balance: the same Jain index over each pod's busy measure (busy time, in-flight,
 * CPU) divided by its capacity. A good policy sends less to a slow pod, so counts look uneven
 * while utilisation stays even; round-robin looks even by count while a slow pod runs hot.
 */
export function utilisationBalance(busy: readonly number[], capacity?: readonly number[]): number {
  const cap = capacity ?? busy.map(() => 1);
  return jain(busy.map((b, i) => b / (cap[i] > 0 ? cap[i] : 1)));
}

function sum(a: readonly number[]): number {
  let s = 0;
  for (const v of a) s += v;
  return s;
}

function normalise(a: readonly number[]): number[] {
  const s = sum(a);
  return a.map((v) => (s > 0 ? v / s : 1 / a.length));
}
