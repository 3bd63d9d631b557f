import { systemClock } from '../core/clock.js';
import type { Issue } from '../core/errors.js';
import { mathRandom } from '../core/random.js';
import { ConsistentHashPolicy } from './consistent-hash.js';
import { LeastConnectionsPolicy } from './least-connections.js';
import { PeakEwmaPolicy } from './peak-ewma.js';
import {
  DEFAULT_POLICY_OPTIONS,
  POLICY_NAMES,
  SLOW_START_WITH_HASH,
  type Policy,
  type PolicyDeps,
  type PolicyName,
  type PolicyOptions,
} from './policy.js';
import { PowerOfTwoPolicy } from './power-of-two.js';
import { RandomChoicePolicy } from './random-choice.js';
import { RoundRobinPolicy } from './round-robin.js';
import { SlowStartPolicy } from './slow-start.js';
import { WeightedRoundRobinPolicy } from './weighted-round-robin.js';

/** Thrown by {@link createPolicy} for bad options; `issues` lists every problem found. */
export class PolicyOptionsError extends RangeError {
  constructor(readonly issues: Issue[]) {
    super(`invalid policy options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'PolicyOptionsError';
  }
}

/** An HTTP field name: an RFC 9110 §5.1 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

type Factory = (options: PolicyOptions, deps: PolicyDeps) => Policy;

/** One constructor per registered name (the k6-executor style registry). */
const FACTORIES: Record<PolicyName, Factory> = {
  'round-robin': () => new RoundRobinPolicy(),
  'weighted-round-robin': () => new WeightedRoundRobinPolicy(),
  random: (_o, deps) => new RandomChoicePolicy(deps),
  'least-connections': () => new LeastConnectionsPolicy(),
  'power-of-two': (o, deps) => new PowerOfTwoPolicy(deps, o.choices),
  'peak-ewma': (o, deps) => new PeakEwmaPolicy(deps, o.choices, o.decayMs),
  'consistent-hash': (o) => new ConsistentHashPolicy(o.hashAlgorithm, o.virtualNodes),
};

/** True when `s` is a registered policy name. */
export function isPolicyName(s: string): s is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(s);
}

/**
 * Creates a policy by name. `options` are merged over DEFAULT_POLICY_OPTIONS and validated
 * (all of them, whichever the policy reads, so a spec is rejected the same way whatever the
 * policy); missing `deps` default to `mathRandom` and `systemClock`.
 * @throws PolicyOptionsError (a RangeError) listing every invalid option, or RangeError for an
 * unknown name.
 */
export function createPolicy(
  name: PolicyName,
  options: Partial<PolicyOptions> = {},
  deps: Partial<PolicyDeps> = {},
): Policy {
  if (!isPolicyName(name)) {
    throw new RangeError(`unknown policy "${String(name)}"; expected one of ${POLICY_NAMES.join(', ')}`);
  }
  const merged: PolicyOptions = { ...DEFAULT_POLICY_OPTIONS, ...stripUndefined(options) };
  const issues = validatePolicyOptions(merged);
  if (name === 'consistent-hash' && merged.slowStartMs > 0) issues.push(SLOW_START_WITH_HASH);
  if (issues.length > 0) throw new PolicyOptionsError(issues);
  const resolved = { random: deps.random ?? mathRandom, clock: deps.clock ?? systemClock };
  const policy = FACTORIES[name](merged, resolved);
  return merged.slowStartMs > 0 ? new SlowStartPolicy(policy, merged.slowStartMs, resolved) : policy;
}

/** Every problem with `o`, each with the option's name as path; empty when valid. */
export function validatePolicyOptions(o: PolicyOptions): Issue[] {
  const issues: Issue[] = [];
  if (!Number.isInteger(o.choices) || o.choices < 1) {
    issues.push({ path: 'choices', message: `must be an integer >= 1, got ${String(o.choices)}` });
  }
  if (typeof o.decayMs !== 'number' || !(o.decayMs > 0) || !Number.isFinite(o.decayMs)) {
    issues.push({ path: 'decayMs', message: `must be a finite number > 0, got ${String(o.decayMs)}` });
  }
  if (o.hashAlgorithm !== 'ring' && o.hashAlgorithm !== 'maglev') {
    const got = JSON.stringify(o.hashAlgorithm);
    issues.push({ path: 'hashAlgorithm', message: `must be "ring" or "maglev", got ${got}` });
  }
  if (!Number.isInteger(o.virtualNodes) || o.virtualNodes < 1 || o.virtualNodes > 100_000) {
    issues.push({ path: 'virtualNodes', message: `must be an integer in [1, 100000], got ${String(o.virtualNodes)}` });
  }
  if (typeof o.slowStartMs !== 'number' || !(o.slowStartMs >= 0) || o.slowStartMs > 3_600_000) {
    issues.push({ path: 'slowStartMs', message: `must be a number in [0, 3600000] (ms; 0 = off), got ${String(o.slowStartMs)}` });
  }
  const key = o.hashKey as { from?: unknown; header?: unknown } | undefined;
  if (key === null || typeof key !== 'object' || !['header', 'path', 'client'].includes(key.from as string)) {
    issues.push({ path: 'hashKey.from', message: 'must be "header", "path" or "client"' });
  } else if (key.from === 'header' && (typeof key.header !== 'string' || !HEADER_NAME.test(key.header))) {
    const got = JSON.stringify(key.header);
    issues.push({ path: 'hashKey.header', message: `must be a non-empty HTTP header name (RFC 9110 token), got ${got}` });
  }
  return issues;
}

/** `{ choices: undefined }` must not override the default (spreads copy undefined values). */
function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
