import type { BalanceResult, ErrorBreakdown, ThresholdResult, TimelinePoint } from '../core/result.js';
import type { WindowBalance } from './balance-tracker.js';
import { evaluateThresholds, type ThresholdSpec } from './thresholds.js';
import { verdictReason } from './verdict-reason.js';

/** A window's (or the run's) balance as the Result shows it. */
export function balanceResultOf(w: WindowBalance): BalanceResult {
  return {
    score: w.score,
    cov: w.cov,
    maxMean: w.maxMean,
    chiSquareP: w.chiSquareP,
    verdict: w.verdict,
    basis: w.basis,
    requestScore: w.requestScore,
    utilisation: w.utilisation,
  };
}

/** A window's balance as a timeline point shows it (live, simulated and merged windows alike). */
export function pointBalanceOf(w: WindowBalance): Pick<TimelinePoint, 'score' | 'verdict' | 'basis' | 'requestScore' | 'utilisation'> {
  return { score: w.score, verdict: w.verdict, basis: w.basis, requestScore: w.requestScore, utilisation: w.utilisation };
}

/** What a finished run (live or simulated) measured, beyond its balance. */
export interface RunFigures {
  requests: number;
  errors: number;
  errorsByKind: ErrorBreakdown;
  dropped: number;
  /** Responses that named no pod. */
  unattributed: number;
  /** Responses that named a pod. */
  attributed: number;
  podHeader?: string;
  p99Ms: number;
  thresholds: ThresholdSpec;
}

/** The Result's balance (with the reason of a verdict that could not be judged) and thresholds. */
export interface RunJudgement {
  balance: BalanceResult;
  thresholds: ThresholdResult[];
  /** (errors + dropped) / (requests + dropped): dropped requests count as failed. */
  errorRate: number;
}

/**
 * Judges a whole run, live or simulated, the same way: the balance on its basis, why it could not
 * be judged when it could not, the thresholds, and the error rate they read. Pure.
 */
export function judgeRun(total: WindowBalance, f: RunFigures): RunJudgement {
  const balance = balanceResultOf(total);
  const reason = verdictReason({
    verdict: balance.verdict,
    requests: f.requests,
    dropped: f.dropped,
    failures: f.errorsByKind,
    unattributed: f.unattributed,
    attributed: f.attributed,
    podHeader: f.podHeader,
    pods: total.pods.length,
  });
  if (reason) balance.reason = reason;
  // Requests the open model dropped were due and never sent: they count as failed (k6 reports
  // them as dropped_iterations for thresholds to read), or a stalled target would look healthier
  // the more load it turned away.
  const due = f.requests + f.dropped;
  const errorRate = due > 0 ? (f.errors + f.dropped) / due : 0;
  const thresholds = evaluateThresholds(f.thresholds, {
    score: balance.score,
    verdict: balance.verdict,
    maxShareRatio: total.maxMean,
    ...(total.hottest >= 0 ? { hottest: total.pods[total.hottest] } : {}),
    reason,
    p99Ms: f.p99Ms,
    errorRate,
    okResponses: f.requests - f.errors,
  });
  return { balance, thresholds, errorRate };
}
