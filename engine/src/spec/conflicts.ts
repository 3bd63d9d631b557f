import type { Issue } from '../core/errors.js';
import type { PolicyName } from '../policies/policy.js';

/**
 * Settings that contradict each other are refused, never silently ignored: an option the chosen
 * policy does not read, balancer weights under a policy that ignores weights, connection
 * recycling without keep-alive, more load workers than connections. Shared by the TestSpec and
 * the simulation spec. Pure; values may be of the wrong type here (cross-field checks run even
 * when a field failed), so every read is guarded.
 */

/** The policies that read each option, by its spec name. */
const OPTION_READERS: Record<string, readonly PolicyName[]> = {
  choices: ['power-of-two', 'peak-ewma'],
  decay: ['peak-ewma'],
  hashAlgorithm: ['consistent-hash'],
  hashKey: ['consistent-hash'],
  virtualNodes: ['consistent-hash'],
};

/** Policies that read balancer weights. */
export const WEIGHTED_POLICIES: readonly PolicyName[] = ['weighted-round-robin', 'consistent-hash'];

const list = (p: readonly string[]) => (p.length === 1 ? p[0] : `${p.slice(0, -1).join(', ')} and ${p[p.length - 1]}`);

/**
 * Options and unequal weights the policy would not read. `policyOptions` keys are the spec's
 * (`decay`, not `decayMs`); slow start is checked by the schemas themselves (every policy but
 * consistent-hash reads it). Paths are relative to the object holding `policy`.
 */
export function policyFitIssues(policy: unknown, options: unknown, weights: unknown): Issue[] {
  if (typeof policy !== 'string') return [];
  const issues: Issue[] = [];
  if (options !== null && typeof options === 'object') {
    for (const [k, v] of Object.entries(options)) {
      const readers = OPTION_READERS[k];
      if (v === undefined || !readers || readers.includes(policy as PolicyName)) continue;
      issues.push({ path: `policyOptions.${k}`, message: `${policy} does not read ${k} (only ${list(readers)} do): remove it or choose one of those policies` });
    }
  }
  // Equal weights change nothing under any policy, so only unequal ones are a contradiction.
  if (Array.isArray(weights) && new Set(weights).size > 1 && !WEIGHTED_POLICIES.includes(policy as PolicyName))
    issues.push({ path: 'weights', message: `${policy} ignores balancer weights (only ${list(WEIGHTED_POLICIES)} read them): remove them or choose one of those policies` });
  return issues;
}

/**
 * Connection settings that cannot hold together. Paths are from the spec's root. `runners`: the
 * load's runners that each hold at least one connection: worker threads (`threads`) and worker
 * processes (`load.workers`).
 */
export function connectionIssues(c: unknown, runners: ReadonlyArray<{ path: string; count: unknown; what: string }> = []): Issue[] {
  if (c === null || typeof c !== 'object') return [];
  const { keepAlive, maxConnections, requestsPerConnection } = c as Record<string, unknown>;
  const issues: Issue[] = [];
  if (keepAlive === false && typeof requestsPerConnection === 'number' && requestsPerConnection > 0)
    issues.push({
      path: 'connections.requestsPerConnection',
      message: 'recycling a connection after n requests needs keep-alive (without it every connection carries one request): remove one of the two',
    });
  for (const r of runners) {
    if (Number.isInteger(r.count) && Number.isInteger(maxConnections) && (r.count as number) > (maxConnections as number))
      issues.push({
        path: r.path,
        message: `${String(r.count)} ${r.what} need at least ${String(r.count)} connections (each holds its own), but maxConnections is ${String(maxConnections)}`,
      });
  }
  return issues;
}
