import { ValidationError, type Issue } from '../core/errors.js';
import type { Random } from '../core/random.js';
import { MAX_LAB_PODS } from '../lab/lab-options.js';
import type { ChaosPod, FaultDefinition, Severity } from './fault.js';
import { BLAST_RADIUS, podsForPercent, SCALE_UP_RADIUS, type Radius } from './severity.js';

/** How a fault chooses its pods: at most one of these is set (the schema checks). */
export interface TargetInput {
  pods?: string[];
  count?: number;
  percent?: number;
}

/** The chosen pods; for scale-up, the names to give (may be empty) and how many to add. */
export interface Targets {
  pods: string[];
  count: number;
}

/**
 * Resolves a fault's targets against the lab's current pods, or throws a ValidationError with
 * every problem (an unknown pod, more pods than there are, a scale that leaves none or too many).
 * Pods chosen by count or percentage are drawn with `random` (seeded runs choose the same),
 * pods that are up first: faulting a pod that is already down would show nothing.
 */
export function resolveTargets(def: FaultDefinition, input: TargetInput, severity: Severity, lab: ChaosPod[], random: Random): Targets {
  const names = lab.map((p) => p.name);
  const issues: Issue[] = [];
  if (def.targets === 'new') {
    const count = input.pods ? input.pods.length : howMany(input, SCALE_UP_RADIUS[severity], names.length);
    input.pods?.forEach((p, i) => {
      if (names.includes(p)) issues.push({ path: `pods.${i}`, message: `pod "${p}" already exists` });
      if (input.pods!.indexOf(p) !== i) issues.push({ path: `pods.${i}`, message: `"${p}" is listed twice` });
    });
    if (names.length + count > MAX_LAB_PODS)
      issues.push({ path: input.pods ? 'pods' : 'count', message: `${names.length} + ${count} pods is over the lab's limit of ${MAX_LAB_PODS}` });
    if (issues.length > 0) throw new ValidationError(issues);
    return { pods: input.pods ?? [], count };
  }
  let pods: string[];
  if (input.pods) {
    pods = [...new Set(input.pods)];
    input.pods.forEach((p, i) => {
      if (!names.includes(p)) issues.push({ path: `pods.${i}`, message: `no pod "${p}" (the lab has ${names.join(', ') || 'no pods'})` });
    });
  } else {
    const n = howMany(input, BLAST_RADIUS[severity], names.length);
    if (n > names.length) issues.push({ path: input.count !== undefined ? 'count' : 'percent', message: `the lab has only ${names.length} pods` });
    pods = choose(lab, Math.min(n, names.length), random);
  }
  if (def.type === 'scale-down' && pods.length >= names.length)
    issues.push({ path: input.pods ? 'pods' : input.count !== undefined ? 'count' : 'percent', message: 'a scale-down must leave at least one pod' });
  if (issues.length > 0) throw new ValidationError(issues);
  return { pods, count: pods.length };
}

function howMany(input: TargetInput, radius: Radius, total: number): number {
  if (input.count !== undefined) return input.count;
  const r: Radius = input.percent !== undefined ? { percent: input.percent } : radius;
  return 'count' in r ? r.count : podsForPercent(r.percent, total);
}

/** `n` pods drawn without replacement (partial Fisher-Yates), pods that are up first; returned in lab order. */
function choose(lab: ChaosPod[], n: number, random: Random): string[] {
  const up = lab.filter((p) => p.up).map((p) => p.name);
  const down = lab.filter((p) => !p.up).map((p) => p.name);
  const picked = [...draw(up, Math.min(n, up.length), random), ...draw(down, Math.max(0, n - up.length), random)];
  return lab.map((p) => p.name).filter((name) => picked.includes(name));
}

function draw(from: string[], n: number, random: Random): string[] {
  const a = [...from];
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random.next() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}
