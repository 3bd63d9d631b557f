import type { z } from 'zod';
import { MAX_CONNECT_TIMEOUT_MS, MAX_FAULT_MS, MIN_FAULT_MS } from '../chaos/fault-spec.js';
import { parseDistribution, scale, type Distribution } from '../core/distribution.js';
import { parseDuration } from '../core/duration.js';
import type { Issue } from '../core/errors.js';
import { safeLine } from '../core/text.js';
import { LIMITS, limitIssues, type RunLimits } from '../spec/limits.js';
import { TestSpecSchema, type TestSpec } from '../spec/test-spec.js';
import { toIssues } from '../spec/validate.js';
import { ms } from './params.js';

/**
 * Brings a generated spec (an LLM's answer, a generator's draft) within the limits: values out
 * of range are clamped, unknown fields and entries that no longer fit are removed, and each
 * change is reported. Only these repairs are made; any other problem (a wrong type, a bad
 * duration or distribution) is returned as issues, so nothing is ever used unvalidated.
 */

/** One change made to a generated spec. */
export interface Adjustment {
  /** Dotted path of the field ("load.stages.1.rate"). */
  path: string;
  from: unknown;
  /** The new value; null when the field was removed. */
  to: unknown;
  reason: string;
}

export type ClampOutcome = { spec: TestSpec; adjustments: Adjustment[] } | { issues: Issue[]; adjustments: Adjustment[] };

/**
 * Bounds of the duration fields, from the same constants as the schema. A test checks each bound
 * against the schema itself, so a change there that is not made here fails loudly.
 */
export const DURATION_BOUNDS: ReadonlyArray<{ path: RegExp; minMs: number; maxMs: number }> = [
  { path: /^load\.duration$/, minMs: LIMITS.minDurationMs, maxMs: LIMITS.maxDurationMs },
  { path: /^load\.stages\.\d+\.duration$/, minMs: 100, maxMs: LIMITS.maxDurationMs },
  { path: /^request\.timeout$/, minMs: 1, maxMs: LIMITS.maxTimeoutMs },
  { path: /^thresholds\.p99$/, minMs: 0, maxMs: LIMITS.maxTimeoutMs },
  { path: /^target\.policyOptions\.decay$/, minMs: 1, maxMs: 600_000 },
  { path: /^faults\.\d+\.at$/, minMs: 0, maxMs: LIMITS.maxDurationMs },
  { path: /^faults\.\d+\.duration$/, minMs: MIN_FAULT_MS, maxMs: MAX_FAULT_MS },
  { path: /^faults\.\d+\.connectTimeout$/, minMs: 1, maxMs: MAX_CONNECT_TIMEOUT_MS },
];

/** Enough passes for a repair to reveal and fix the next (pods clamped → weights no longer fit). */
const MAX_PASSES = 8;
const REMOVED = Symbol('removed');
type Path = ReadonlyArray<PropertyKey>;

/** Validates `raw` against the TestSpec, repairing what is only out of range (see above). */
export function clampSpec(raw: unknown, limits?: RunLimits): ClampOutcome {
  const adjustments: Adjustment[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { issues: [{ path: '', message: 'the spec must be a JSON object' }], adjustments };
  const draft = structuredClone(raw) as Record<string, unknown>;
  const fix = new Fixer(draft, adjustments);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const r = TestSpecSchema.safeParse(draft);
    if (r.success) {
      const over = limits ? limitIssues(r.data, limits) : [];
      if (over.length === 0) return { spec: r.data, adjustments };
      if (!over.map((i) => fix.limit(i, limits as RunLimits)).some(Boolean)) return { issues: over, adjustments };
      continue;
    }
    const stageIssue = r.error.issues.some((i) => dotted(i.path).startsWith('load.stages.'));
    const fixed = r.error.issues.map((i) => fix.schema(i, stageIssue)).some(Boolean);
    fix.compact(draft);
    if (!fixed) return { issues: toIssues(r.error), adjustments };
  }
  const last = TestSpecSchema.safeParse(draft);
  return last.success ? { spec: last.data, adjustments } : { issues: toIssues(last.error), adjustments };
}

const dotted = (p: Path): string => p.map(String).join('.');

class Fixer {
  constructor(
    private readonly root: Record<string, unknown>,
    private readonly log: Adjustment[],
  ) {}

  /** Repairs one schema issue when it is a range problem; false when it cannot. */
  schema(i: z.core.$ZodIssue, stageIssue: boolean): boolean {
    const path = i.path;
    const at = dotted(path);
    const value = this.get(path);
    switch (i.code) {
      case 'unrecognized_keys':
        for (const k of i.keys) this.remove([...path, k], 'unknown field');
        return true;
      case 'too_big':
      case 'too_small': {
        const big = i.code === 'too_big';
        const bound = Number(big ? (i as { maximum: unknown }).maximum : (i as { minimum: unknown }).minimum);
        if ((i.origin === 'number' || i.origin === 'int') && typeof value === 'number' && i.inclusive !== false)
          return this.set(path, bound, big ? `above the maximum of ${bound}` : `below the minimum of ${bound}`);
        if (i.origin === 'array' && big && Array.isArray(value))
          return this.set(path, value.slice(0, bound), `more than ${bound} entries: the first ${bound} kept`);
        if (i.origin === 'string' && big && typeof value === 'string')
          return this.set(path, value.slice(0, bound), `longer than ${bound} characters: cut`);
        return false;
      }
      case 'invalid_format':
        // A name or header value with control characters (a model's answer): removed, not refused.
        if (typeof value === 'string' && safeLine(value) !== value) return this.set(path, safeLine(value), 'control characters removed');
        return false;
      case 'invalid_type':
        if (i.expected === 'int' && typeof value === 'number' && Number.isFinite(value))
          return this.set(path, Math.round(value), 'must be a whole number: rounded');
        return false;
      case 'custom':
        return this.custom(path, at, value, stageIssue);
      default:
        return false;
    }
  }

  /** Cross-field and duration checks of the schema, recognised by the field they are on. */
  private custom(path: Path, at: string, value: unknown, stageIssue: boolean): boolean {
    const bounds = DURATION_BOUNDS.find((b) => b.path.test(at));
    if (bounds && typeof value === 'string') {
      const v = parseDuration(value);
      if (v === undefined) return false;
      if (v > bounds.maxMs) return this.set(path, ms(bounds.maxMs), `above the maximum of ${ms(bounds.maxMs)}`);
      if (v < bounds.minMs) return this.set(path, ms(bounds.minMs), `below the minimum of ${ms(bounds.minMs)}`);
      // In range: the issue is another rule on this field (a fault starting after the load ends).
    }
    if (/^target\.podBehaviour\.\d+\.latency$/.test(at) && typeof value === 'string') return this.fitServiceTime(path, value);
    if (at === 'load.stages' && !stageIssue) return this.fitStages(path, LIMITS.maxDurationMs);
    if (at === 'expect.capacity') return this.remove(['expect'], 'the capacity list does not match the number of pods');
    if (at === 'target.weights') return this.remove(path, 'the weights do not match the pods');
    // A fault that no longer fits the spec (its pod was clamped away, it starts after the load
    // ends, the target is not the lab) is dropped rather than moved: moving it changes its meaning.
    if (at === 'faults') return this.remove(path, 'faults need a lab target');
    if (/^faults\.\d+\.(at|count|pods\.\d+)$/.test(at)) return this.remove(path.slice(0, 2), 'the fault does not fit the spec (pods or load length)');
    if (/^target\.podBehaviour\.\d+\.pods\.\d+$/.test(at)) {
      const entry = path.slice(0, -2);
      const pods = this.get(path.slice(0, -1));
      const left = Array.isArray(pods) ? pods.filter((p) => p !== REMOVED).length : 0;
      // Removing the entry's last pod would widen it to every pod: drop the whole entry instead.
      return left <= 1 ? this.remove(entry, `pod ${String(value)} does not exist`) : this.remove(path, 'no such pod');
    }
    return false;
  }

  /** Repairs one of the engine's own caps (runs/limits.ts), by the field it names. */
  limit(i: Issue, l: RunLimits): boolean {
    const path = i.path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const reason = `above this engine's limit`;
    if (i.path === 'load.users') return this.set(path, l.maxUsers, reason);
    if (i.path === 'target.pods') return this.set(path, l.maxPods, reason);
    if (i.path === 'load.duration') return this.set(path, ms(l.maxDurationMs), reason);
    if (/^load\.stages\.\d+\.rate$/.test(i.path)) return this.set(path, l.maxRate, reason);
    if (i.path === 'load.stages') return this.fitStages(path, l.maxDurationMs);
    return false;
  }

  /** Scales a service time down so that its largest time is the lab's limit (the shape is kept). */
  private fitServiceTime(path: Path, value: string): boolean {
    const d = parseDistribution(value);
    if (typeof d === 'string') return false;
    const largest = Math.max(...timesOf(d));
    if (!(largest > LIMITS.maxServiceMs)) return false;
    return this.set(path, formatDistribution(scale(d, LIMITS.maxServiceMs / largest)), `a service time above the lab's ${ms(LIMITS.maxServiceMs)}: scaled down`);
  }

  /** Scales every stage by the same factor so that their total fits in [min, maxMs]. */
  private fitStages(path: Path, maxMs: number): boolean {
    const stages = this.get(path);
    if (!Array.isArray(stages)) return false;
    const lengths = stages.map((s) => parseDuration(String((s as { duration?: unknown })?.duration)) ?? NaN);
    const total = lengths.reduce((a, b) => a + b, 0);
    if (!Number.isFinite(total) || total <= 0) return false;
    const target = total > maxMs ? maxMs : LIMITS.minDurationMs;
    // Floor so that the sum never exceeds the target; a too-short total is stretched instead.
    const factor = target / total;
    stages.forEach((_, k) => {
      const next = Math.max(100, total > maxMs ? Math.floor(lengths[k] * factor) : Math.ceil(lengths[k] * factor));
      this.set([...path, k, 'duration'], ms(next), total > maxMs ? `the stages last ${ms(total)} in all, above ${ms(maxMs)}: scaled down` : `the stages last ${ms(total)} in all: stretched to ${ms(target)}`);
    });
    return true;
  }

  private get(path: Path): unknown {
    let v: unknown = this.root;
    for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
    return v;
  }

  private set(path: Path, to: unknown, reason: string): boolean {
    const parent = this.get(path.slice(0, -1));
    if (parent === null || typeof parent !== 'object') return false;
    const from = (parent as Record<PropertyKey, unknown>)[path[path.length - 1]];
    (parent as Record<PropertyKey, unknown>)[path[path.length - 1]] = to;
    this.log.push({ path: dotted(path), from, to, reason });
    return true;
  }

  /** Removes a field, or marks an array entry for removal (indexes stay valid until compact). */
  private remove(path: Path, reason: string): boolean {
    const parent = this.get(path.slice(0, -1));
    const key = path[path.length - 1];
    if (parent === null || typeof parent !== 'object') return false;
    const from = (parent as Record<PropertyKey, unknown>)[key];
    if (from === REMOVED) return true;
    if (Array.isArray(parent)) parent[key as number] = REMOVED;
    else delete (parent as Record<PropertyKey, unknown>)[key];
    this.log.push({ path: dotted(path), from, to: null, reason });
    return true;
  }

  /** Drops the array entries marked by remove(). */
  compact(v: unknown): void {
    if (v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if (Array.isArray(child)) (v as Record<string, unknown>)[k] = child.filter((c) => c !== REMOVED);
      this.compact((v as Record<string, unknown>)[k]);
    }
  }
}

function timesOf(d: Distribution): number[] {
  return d.kind === 'fixed' ? [d.ms] : d.kind === 'uniform' ? [d.minMs, d.maxMs] : [d.meanMs];
}

function formatDistribution(d: Distribution): string {
  if (d.kind === 'fixed') return `fixed:${ms(d.ms)}`;
  if (d.kind === 'exp') return `exp:${ms(d.meanMs)}`;
  if (d.kind === 'lognormal') return `lognormal:${ms(d.meanMs)},${d.sigma}`;
  return `uniform:${ms(d.minMs)},${ms(d.maxMs)}`;
}
