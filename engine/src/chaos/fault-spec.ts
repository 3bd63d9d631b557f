import { z } from 'zod';
import { parseDuration } from '../core/duration.js';
import { MAX_LAB_PODS } from '../lab/lab-options.js';
import { ALWAYS, durationString, labDistributionString, podName } from '../spec/fields.js';
import { LIMITS } from '../spec/limits.js';
import { SEVERITIES, type FaultType } from './fault.js';

/**
 * The fault schemas: one shape per type, in three variants that differ only in their extra
 * field: in a TestSpec (`at`), in a FaultManager call (none) and in the inject API body
 * (`testId`). Parameters a fault leaves out come from its severity preset (severity.ts), so
 * they have no zod default here; the common fields do.
 */

/** Shortest and longest fault (its TTL). */
export const MIN_FAULT_MS = 100;
export const MAX_FAULT_MS = LIMITS.maxDurationMs;
/** TTL of a fault that sets no duration. */
export const DEFAULT_FAULT_DURATION = '30s';
/** Faults one TestSpec may schedule. */
export const MAX_SPEC_FAULTS = 50;
/** Longest connect timeout of a black-holed pod. */
export const MAX_CONNECT_TIMEOUT_MS = 120_000;

const rate = z.number().min(0).max(1);

const COMMON = {
  /** How long the fault lasts: its TTL, after which it is rolled back whatever else happens. */
  duration: durationString(MIN_FAULT_MS, MAX_FAULT_MS).default(DEFAULT_FAULT_DURATION),
  /** Targets, at most one of: pod names, a count of pods, or a percentage of pods. */
  pods: z.array(podName).min(1).max(MAX_LAB_PODS).optional(),
  count: z.int().min(1).max(MAX_LAB_PODS).optional(),
  percent: z.number().gt(0).max(100).optional(),
  /** Fills in the parameters (and the targets) left out: severity.ts. */
  severity: z.enum(SEVERITIES).default('medium'),
};

const PARAMS = {
  latency: { delay: labDistributionString.optional(), fraction: z.number().gt(0).max(1).optional() },
  errors: { rate: rate.optional(), status: z.int().min(400).max(599).optional() },
  'pod-failure': { kill: z.boolean().optional() },
  partition: {
    mode: z.enum(['refused', 'blackhole']).optional(),
    connectTimeout: durationString(1, MAX_CONNECT_TIMEOUT_MS).optional(),
  },
  'connection-reset': { rate: rate.optional() },
  bandwidth: { bytesPerSecond: z.int().min(100).max(1_000_000_000).optional() },
  'scale-up': {},
  'scale-down': {},
} as const satisfies Record<FaultType, z.ZodRawShape>;

const TARGET_KEYS = ['pods', 'count', 'percent'] as const;

/** At most one way of choosing pods. */
function oneTarget(f: { pods?: unknown; count?: unknown; percent?: unknown }, ctx: z.RefinementCtx): void {
  const set = TARGET_KEYS.filter((k) => f?.[k] !== undefined);
  if (set.length > 1) ctx.addIssue({ code: 'custom', path: [set[1]], message: `use only one of pods, count or percent (got ${set.join(' and ')})` });
}

function variant<T extends FaultType, P extends z.ZodRawShape, E extends z.ZodRawShape>(type: T, params: P, extra: E) {
  return z.strictObject({ type: z.literal(type), ...extra, ...COMMON, ...params }).superRefine(oneTarget, ALWAYS);
}

function union<E extends z.ZodRawShape>(extra: E) {
  return z.discriminatedUnion('type', [
    variant('latency', PARAMS.latency, extra),
    variant('errors', PARAMS.errors, extra),
    variant('pod-failure', PARAMS['pod-failure'], extra),
    variant('partition', PARAMS.partition, extra),
    variant('connection-reset', PARAMS['connection-reset'], extra),
    variant('bandwidth', PARAMS.bandwidth, extra),
    variant('scale-up', PARAMS['scale-up'], extra),
    variant('scale-down', PARAMS['scale-down'], extra),
  ]);
}

/** A fault in a TestSpec: `at` is its start, relative to the load start (default 0s). */
export const FaultSpecSchema = union({ at: durationString(0, LIMITS.maxDurationMs).default('0s') });
/** A fault to inject now (FaultManager.inject). */
export const FaultRequestSchema = union({});
/** The body of `POST /api/failure/inject`: a fault and the running lab test it goes into. */
export const FaultInjectSchema = union({ testId: z.string().min(1).max(100) });

/** A validated TestSpec fault, defaults filled in. */
export type FaultSpec = z.output<typeof FaultSpecSchema>;
/** A TestSpec fault as written (defaults optional). */
export type FaultSpecInput = z.input<typeof FaultSpecSchema>;
/** A validated fault to inject now. */
export type FaultRequest = z.output<typeof FaultRequestSchema>;
/** A fault to inject now, as a caller writes it. */
export type FaultRequestInput = z.input<typeof FaultRequestSchema>;
/** The body of `POST /api/failure/inject` as a caller writes it (the Grafana plugin sends this). */
export type FaultInjectInput = z.input<typeof FaultInjectSchema>;

/** One problem found by specFaultIssues, with its path inside the TestSpec. */
export interface SpecFaultIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Checks a TestSpec's faults against the rest of it (runs even when other fields failed, so
 * values may be of the wrong type): faults need a lab or kubernetes target; a fault must start before the
 * load ends; named pods must exist (pod-1..pod-N, or pods a scale-up adds); counts must fit.
 */
export function specFaultIssues(faults: unknown, target: unknown, loadMs: number | undefined): SpecFaultIssue[] {
  if (!Array.isArray(faults) || faults.length === 0) return [];
  const t = target as { kind?: unknown; pods?: unknown } | undefined;
  if (t?.kind !== 'lab' && t?.kind !== 'kubernetes') return [{ path: ['faults'], message: 'faults need a lab or kubernetes target' }];
  // A cluster's pods are known only once it is reached: names and counts are checked then.
  const n = t.kind === 'lab' && typeof t.pods === 'number' && Number.isInteger(t.pods) ? t.pods : undefined;
  const list = faults.filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null);
  const ups = list.filter((f) => f.type === 'scale-up');
  const added = new Set(ups.flatMap((f) => (Array.isArray(f.pods) ? f.pods : [])));
  // A scale-up by count names its pods pod-(N+1), ...: any of those may be named later.
  const unnamedUps = ups.some((f) => !Array.isArray(f.pods));
  const exists = (p: unknown) => {
    const m = typeof p === 'string' ? /^pod-(\d+)$/.exec(p) : null;
    const i = m ? Number(m[1]) : 0;
    return added.has(p) || (n !== undefined && i >= 1 && (i <= n || (unnamedUps && i <= MAX_LAB_PODS)));
  };
  const issues: SpecFaultIssue[] = [];
  faults.forEach((f: Record<string, unknown> | null, i) => {
    if (typeof f !== 'object' || f === null) return;
    const at = typeof f.at === 'string' ? parseDuration(f.at) : 0;
    if (at !== undefined && loadMs !== undefined && at >= loadMs)
      issues.push({ path: ['faults', i, 'at'], message: `starts at or after the end of the load (${loadMs / 1000}s)` });
    if (n === undefined) return;
    if (f.type === 'scale-up') {
      if (Array.isArray(f.pods)) f.pods.forEach((p, j) => {
        if (typeof p === 'string' && /^pod-(\d+)$/.test(p) && Number(p.slice(4)) <= n)
          issues.push({ path: ['faults', i, 'pods', j], message: `pod "${p}" already exists` });
      });
      return;
    }
    if (Array.isArray(f.pods)) f.pods.forEach((p, j) => {
      if (!exists(p)) issues.push({ path: ['faults', i, 'pods', j], message: `no pod "${p}" (pods are pod-1..pod-${n})` });
    });
    if (typeof f.count === 'number' && f.count > n) issues.push({ path: ['faults', i, 'count'], message: `the lab has only ${n} pods` });
    if (f.type === 'scale-down' && f.count === n)
      issues.push({ path: ['faults', i, 'count'], message: 'a scale-down must leave at least one pod' });
  });
  return issues;
}
