import type { Distribution } from '../core/distribution.js';
import { ValidationError, type Issue } from '../core/errors.js';
import { DEFAULT_POLICY_OPTIONS, POLICY_NAMES, SLOW_START_WITH_HASH, type PolicyOptions, type PolicyName } from '../policies/policy.js';
import { isPolicyName, validatePolicyOptions } from '../policies/registry.js';
import { LIMITS } from '../spec/limits.js';
import { DEFAULT_POD_BEHAVIOUR, type PodBehaviour } from '../spec/pod-behaviour.js';
import { OVERRIDE_CAPS } from './overrides.js';

/** One pod of a lab. */
export interface LabPodOptions {
  /** Unique name, also the `x-scale-pod` header value. Default `pod-<n>`. */
  name?: string;
  /** Merged over DEFAULT_POD_BEHAVIOUR. */
  behaviour?: Partial<PodBehaviour>;
  /** Balancer weight (>= 0). Default 1. */
  weight?: number;
}

/**
 * Balancing mode: per request (L7, an HTTP reverse proxy) or per connection (L4, as kube-proxy).
 * Declared here, not beside the proxy, so the TestSpec's types (and the plugin that reads them)
 * do not reach the proxy's node:http/node:net servers.
 */
export type ProxyMode = 'l7' | 'l4';

/** How to build a lab; validated by checkLabOptions, defaults below. */
export interface LabOptions {
  /** The pods, or how many default pods (`pod-1` .. `pod-N`). At most MAX_LAB_PODS. */
  pods: LabPodOptions[] | number;
  /** The balancing policy (switchable at runtime with Lab.setPolicy). */
  policy: PolicyName;
  /** Merged over DEFAULT_POLICY_OPTIONS; each policy reads its own. */
  policyOptions?: Partial<PolicyOptions>;
  /** Per request (l7) or per connection (l4). */
  mode: ProxyMode;
  /** Consecutive failed connects/requests before a pod is ejected. Default 3. */
  ejectAfterFailures?: number;
  /** Probe interval of an ejected pod, ms. Default 500. */
  probeIntervalMs?: number;
  /** Pod i (in creation order, from 0) draws from seed + i; the policy from seed. Default random. */
  seed?: number;
}

/** Each pod is a worker thread (≈ 10 MB): a bound that keeps a lab from exhausting memory. The same limit as the TestSpec's. */
export const MAX_LAB_PODS = LIMITS.maxPods;
/** Upper bound of a pod's configured service time parameters, ms (the TestSpec's limit). */
export const MAX_SERVICE_MS = LIMITS.maxServiceMs;
/** Consecutive failures before ejection: nginx's max_fails defaults to 1, Envoy's consecutive errors to 5; 3 sits between. */
export const DEFAULT_EJECT_AFTER_FAILURES = 3;
/** Probe interval of an ejected pod, ms. */
export const DEFAULT_PROBE_INTERVAL_MS = 500;

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const BEHAVIOUR_KEYS = new Set([...Object.keys(DEFAULT_POD_BEHAVIOUR), 'warmup']);

/** Throws a ValidationError with every issue, if there is any. */
export function assertValid(issues: Issue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}

/** Checks the whole LabOptions; returns every problem. */
export function checkLabOptions(o: LabOptions): Issue[] {
  const issues: Issue[] = [];
  if (typeof o.pods === 'number') {
    if (!isInt(o.pods, 1, MAX_LAB_PODS)) issues.push({ path: 'pods', message: `must be an integer 1-${MAX_LAB_PODS}` });
  } else if (!Array.isArray(o.pods) || o.pods.length < 1 || o.pods.length > MAX_LAB_PODS) {
    issues.push({ path: 'pods', message: `must list 1-${MAX_LAB_PODS} pods` });
  } else {
    const seen = new Set<string>();
    o.pods.forEach((p, i) => {
      issues.push(...checkPodOptions(p ?? {}, `pods.${i}`));
      if (p?.name !== undefined && seen.has(p.name)) issues.push({ path: `pods.${i}.name`, message: `duplicate name "${p.name}"` });
      if (p?.name !== undefined) seen.add(p.name);
    });
  }
  issues.push(...checkPolicy(o.policy, o.policyOptions, 'policy'));
  if (o.mode !== 'l7' && o.mode !== 'l4') issues.push({ path: 'mode', message: 'must be "l7" or "l4"' });
  if (o.ejectAfterFailures !== undefined && !isInt(o.ejectAfterFailures, 1, 1000)) {
    issues.push({ path: 'ejectAfterFailures', message: 'must be an integer 1-1000' });
  }
  if (o.probeIntervalMs !== undefined && !isNum(o.probeIntervalMs, 10, 60_000)) {
    issues.push({ path: 'probeIntervalMs', message: 'must be 10-60000 ms' });
  }
  if (o.seed !== undefined && !Number.isSafeInteger(o.seed)) issues.push({ path: 'seed', message: 'must be an integer' });
  return issues;
}

/** Checks one pod's options (name, weight, behaviour); `path` prefixes each issue. */
export function checkPodOptions(p: LabPodOptions, path: string): Issue[] {
  const issues: Issue[] = [];
  if (p.name !== undefined && (typeof p.name !== 'string' || !NAME.test(p.name))) {
    issues.push({ path: `${path}.name`, message: 'must be 1-63 letters, digits, ".", "_" or "-"' });
  }
  if (p.weight !== undefined) issues.push(...checkWeight(p.weight, `${path}.weight`));
  if (p.behaviour !== undefined) issues.push(...checkBehaviour(p.behaviour, `${path}.behaviour`));
  return issues;
}

/** A balancer weight: a finite number 0..1e6. */
export function checkWeight(w: unknown, path: string): Issue[] {
  return isNum(w, 0, 1_000_000) ? [] : [{ path, message: 'must be a number 0-1000000' }];
}

/** Checks a partial behaviour (for a new pod or a change to a running one). */
export function checkBehaviour(b: Partial<PodBehaviour>, path: string): Issue[] {
  if (typeof b !== 'object' || b === null) return [{ path, message: 'must be an object' }];
  const issues: Issue[] = [];
  for (const k of Object.keys(b)) if (!BEHAVIOUR_KEYS.has(k)) issues.push({ path: `${path}.${k}`, message: 'unknown field' });
  if (b.latency !== undefined && !isDistribution(b.latency)) {
    issues.push({ path: `${path}.latency`, message: `must be a distribution with times 0-${MAX_SERVICE_MS} ms` });
  }
  if (b.concurrency !== undefined && !isInt(b.concurrency, 1, LIMITS.maxPodConcurrency)) {
    issues.push({ path: `${path}.concurrency`, message: `must be an integer 1-${LIMITS.maxPodConcurrency}` });
  }
  if (b.errorRate !== undefined && !isNum(b.errorRate, 0, 1)) issues.push({ path: `${path}.errorRate`, message: 'must be 0-1' });
  if (b.errorStatus !== undefined && !isInt(b.errorStatus, 400, 599)) {
    issues.push({ path: `${path}.errorStatus`, message: 'must be a status code 400-599' });
  }
  if (b.responseBytes !== undefined && !isInt(b.responseBytes, 0, OVERRIDE_CAPS.maxResponseBytes)) {
    issues.push({ path: `${path}.responseBytes`, message: `must be an integer 0-${OVERRIDE_CAPS.maxResponseBytes}` });
  }
  if (b.warmup !== undefined && (typeof b.warmup !== 'object' || b.warmup === null || !isNum(b.warmup.durationMs, 1, 3_600_000) || !isNum(b.warmup.factor, 1, 100))) {
    issues.push({ path: `${path}.warmup`, message: 'must be { durationMs: 1-3600000, factor: 1-100 }' });
  }
  return issues;
}

/** Checks a policy name and its options (the registry's own rules, plus unknown fields). */
export function checkPolicy(name: unknown, options: Partial<PolicyOptions> | undefined, path: string): Issue[] {
  const issues: Issue[] = [];
  if (typeof name !== 'string' || !isPolicyName(name)) issues.push({ path, message: `must be one of ${POLICY_NAMES.join(', ')}` });
  if (options === undefined) return issues;
  if (typeof options !== 'object' || options === null) return [...issues, { path: `${path}Options`, message: 'must be an object' }];
  for (const k of Object.keys(options)) {
    if (!(k in DEFAULT_POLICY_OPTIONS)) issues.push({ path: `${path}Options.${k}`, message: 'unknown field' });
  }
  const merged = { ...DEFAULT_POLICY_OPTIONS, ...options };
  for (const i of validatePolicyOptions(merged)) issues.push({ path: `${path}Options.${i.path}`, message: i.message });
  if (name === 'consistent-hash' && merged.slowStartMs > 0) issues.push({ path: `${path}Options.slowStartMs`, message: SLOW_START_WITH_HASH.message });
  return issues;
}

function isDistribution(d: Distribution): boolean {
  if (typeof d !== 'object' || d === null) return false;
  const t = (v: unknown): boolean => isNum(v, 0, MAX_SERVICE_MS);
  switch (d.kind) {
    case 'fixed':
      return t(d.ms);
    case 'exp':
      return t(d.meanMs);
    case 'lognormal':
      return t(d.meanMs) && isNum(d.sigma, 0, 5);
    case 'uniform':
      return t(d.minMs) && t(d.maxMs) && d.minMs <= d.maxMs;
    default:
      return false;
  }
}

function isNum(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return isNum(v, min, max) && Number.isInteger(v);
}
