import { z } from 'zod';
import { parseDistribution } from '../core/distribution.js';
import { parseDuration } from '../core/duration.js';
import { LIMITS } from './limits.js';

/**
 * Field schemas shared by the TestSpec (test-spec.ts) and the schemas it embeds (chaos/
 * fault-spec.ts). They live apart from test-spec.ts so that an embedded schema can use them
 * without importing test-spec.ts, which imports it (a cycle ES modules would not initialise).
 */

/** Cross-field checks run even when a field failed, so that every problem is reported at once. */
export const ALWAYS = { when: () => true };

const fmt = (ms: number) => (ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`);

/** A duration string with units, within [minMs, maxMs]. */
export function durationString(minMs: number, maxMs: number) {
  return z.string().superRefine((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: `not a duration: "${s}" (use e.g. 250ms, 10s, 2m)` });
    else if (ms < minMs || ms > maxMs)
      ctx.addIssue({ code: 'custom', message: `"${s}" is out of range (${fmt(minMs)} to ${fmt(maxMs)})` });
  });
}

/** A distribution string (core/distribution.ts grammar). */
export const distributionString = z.string().superRefine((s, ctx) => {
  const d = parseDistribution(s);
  if (typeof d === 'string') ctx.addIssue({ code: 'custom', message: d });
});

/** A distribution whose times stay within what a lab pod accepts (LIMITS.maxServiceMs). */
export const labDistributionString = distributionString.superRefine((s, ctx) => {
  const d = parseDistribution(s);
  if (typeof d === 'string') return;
  const times = Object.entries(d).filter(([k]) => k !== 'kind' && k !== 'sigma');
  if (times.some(([, v]) => (v as number) > LIMITS.maxServiceMs))
    ctx.addIssue({ code: 'custom', message: `"${s}" is out of range (at most ${LIMITS.maxServiceMs / 1000}s)` });
});

/** No control characters (C0, DEL, C1): names and header values end up on terminals and in headers. */
export const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/** A lab pod name as a spec names it. */
export const podName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a pod name is lower-case letters, digits and dashes');

/** Cold start of pods that join or restart: service times `factor` times longer, easing to normal over `duration`. */
export const warmupSpec = z.strictObject({ duration: durationString(1, 3_600_000), factor: z.number().min(1).max(100) });
