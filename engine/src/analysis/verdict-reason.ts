import type { Verdict } from '../core/result.js';

/** What a run measured, as far as explaining a verdict that could not be judged needs it. */
export interface VerdictContext {
  verdict: Verdict;
  /** Requests sent (answered or failed). */
  requests: number;
  /** Requests the open model wanted to send but dropped (too many in flight). */
  dropped: number;
  /** Failures without a response, by kind (connect, timeout, reset, other). */
  failures: { connect: number; timeout: number; reset: number; other: number };
  /** Responses that named no pod (the pod header was missing). */
  unattributed: number;
  /** Responses that named a pod. */
  attributed: number;
  /** The response header that names the pod (shown in the hint). */
  podHeader?: string;
  /** Pods the verdict was judged over. */
  pods: number;
  /** Pods that were declared behind the target and never answered. */
  silentPods?: number;
}

/**
 * Why a verdict is `no-data` or `insufficient-data`, in one sentence that names the likely cause
 * (README "The balance score"); undefined for the other verdicts. Pure.
 */
export function verdictReason(c: VerdictContext): string | undefined {
  if (c.verdict === 'insufficient-data') {
    return `too few requests to judge: ${c.attributed} attributed to ${c.pods} pod${c.pods === 1 ? '' : 's'}; each pod needs an expected count of at least 5 (a longer or busier run)`;
  }
  if (c.verdict !== 'no-data') return undefined;
  const f = c.failures;
  const failed = f.connect + f.timeout + f.reset + f.other;
  if (c.requests === 0) {
    return c.dropped > 0
      ? `no request was sent: all ${c.dropped} were dropped (too many in flight)`
      : 'no request was sent (a rate of 0, or the run ended before its first request)';
  }
  if (c.unattributed > 0 && c.attributed === 0) {
    const header = c.podHeader ?? 'pod';
    return `no response named its pod: ${c.unattributed} response${c.unattributed === 1 ? '' : 's'} carried no "${header}" header (is the pod header right? --pod-header)`;
  }
  if (failed >= c.requests) {
    const kinds = (['connect', 'timeout', 'reset', 'other'] as const).filter((k) => f[k] > 0).map((k) => `${k} ${f[k]}`);
    return `every request failed without a response (${kinds.join(', ')}): is the target up and listening?`;
  }
  if (c.pods === 0) return 'no pod was eligible for traffic (every pod down or out of rotation)';
  return 'no response was attributed to a pod';
}
