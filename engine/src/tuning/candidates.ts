import { byPodName } from '../analysis/balance-tracker.js';
import type { PolicyName, PolicyOptions } from '../policies/policy.js';

/**
 * The tuner's search space: policies × parameters × (for L4) mode and connection recycling.
 * Kept small and explicit so every candidate can be simulated and its name read in a table.
 */

/** A balancer configuration as the tuner sees it (policy options in internal units: decayMs). */
export interface Setting {
  policy: PolicyName;
  policyOptions: Partial<PolicyOptions>;
  mode: 'l7' | 'l4';
  /** Balancer weights by pod name (weighted-round-robin), never by position; see {@link weightOf}. Undefined: all 1. */
  weights?: Record<string, number>;
  /** Client-side recycling: close a connection after this many requests; 0 = never. */
  requestsPerConnection: number;
}

/** One setting to try, with whether the lab adapter can apply it under a running test. */
export interface Candidate extends Setting {
  /** Stable, readable name, e.g. `l7 power-of-two d=3`, `l4 round-robin recycle=50`. */
  id: string;
  /**
   * `live`: the policy, its options and weights change on the running balancer (Lab.setPolicy /
   * setWeights). `recommend-only`: it needs a mode switch (the lab cannot switch L4/L7 under a
   * running test) or a client change (connection recycling), so it is recommended, not applied.
   */
  apply: 'live' | 'recommend-only';
  /** Why a recommend-only candidate cannot be applied. */
  reason?: string;
  /** This is the setting in force now. */
  current: boolean;
}

/** What candidate generation needs to know. */
export interface CandidateContext {
  current: Setting;
  /** Relative speed of each pod by name (1 / fitted mean service time, any scale). */
  podSpeeds: Readonly<Record<string, number>>;
  /** The client keeps connections open (only then is recycling a candidate). */
  keepAlive: boolean;
  /** Requests per connection tried as recycling (default 50). */
  recycleAfter?: number;
  /** A slow-start window to try with every policy (ms); only when pods join (tuning/joins.ts). */
  slowStartMs?: number;
}

/** d for power-of-two and peak-ewma: 2 is the classic choice, 3 trades a little cost for less herding. */
const CHOICES = [2, 3];
/** peak-ewma decay: ingress-nginx's 10 s, and 1 s to follow faster changes. */
const DECAYS_MS = [1_000, 10_000];
export const DEFAULT_RECYCLE_AFTER = 50;

/**
 * Every candidate for `ctx`, the current setting included (marked `current`).
 *
 * - Policies: round-robin, random, least-connections, power-of-two (d = 2, 3), peak-ewma
 *   (d = 2, 3 × decay 1 s, 10 s), and weighted-round-robin with weights proportional to the
 *   fitted pod speeds (so a pod five times slower gets a fifth of the weight).
 *   consistent-hash is left out: it trades balance for key affinity, which is not this objective.
 * - Mode: the current one; from L4 also L7 (per-request balancing is the known cure for
 *   keep-alive imbalance). L7 → L4 is never tried: placing per connection cannot balance better.
 * - Under L4 with keep-alive and no recycling: every policy again with recycling after
 *   `recycleAfter` requests, so long-lived connections get re-placed.
 * - When pods join (`slowStartMs` given): every policy again with that slow-start window. The
 *   current window, if any, is kept by every candidate.
 */
export function candidates(ctx: CandidateContext): Candidate[] {
  const cur = ctx.current;
  const out = new Map<string, Candidate>();
  const add = (s: Setting) => {
    const c = toCandidate(s, cur);
    if (!out.has(c.id)) out.set(c.id, c);
  };
  const modes: Array<'l7' | 'l4'> = cur.mode === 'l4' ? ['l4', 'l7'] : ['l7'];
  const recycle = cur.mode === 'l4' && ctx.keepAlive && cur.requestsPerConnection === 0;
  // The current window (a user's slow start is kept by every candidate) and the one to try.
  const windows = [...new Set([cur.policyOptions.slowStartMs ?? 0, ctx.slowStartMs ?? cur.policyOptions.slowStartMs ?? 0])];
  for (const mode of modes) {
    const rpcs = mode === 'l4' && recycle ? [cur.requestsPerConnection, ctx.recycleAfter ?? DEFAULT_RECYCLE_AFTER] : [cur.requestsPerConnection];
    for (const requestsPerConnection of rpcs) {
      for (const p of policySettings(ctx.podSpeeds)) {
        for (const slowStartMs of windows) add({ ...p, policyOptions: withSlowStart(p.policyOptions, slowStartMs), mode, requestsPerConnection });
      }
    }
  }
  add(cur);
  return [...out.values()];
}

function withSlowStart(o: Setting['policyOptions'], ms: number): Setting['policyOptions'] {
  return ms > 0 ? { ...o, slowStartMs: ms } : o;
}

/** The policy × parameter grid, without mode and connections. */
function policySettings(speeds: Readonly<Record<string, number>>): Array<Pick<Setting, 'policy' | 'policyOptions' | 'weights'>> {
  const out: Array<Pick<Setting, 'policy' | 'policyOptions' | 'weights'>> = [
    { policy: 'round-robin', policyOptions: {} },
    { policy: 'random', policyOptions: {} },
    { policy: 'least-connections', policyOptions: {} },
  ];
  for (const choices of CHOICES) out.push({ policy: 'power-of-two', policyOptions: { choices } });
  for (const choices of CHOICES) for (const decayMs of DECAYS_MS) out.push({ policy: 'peak-ewma', policyOptions: { choices, decayMs } });
  const w = speedWeights(speeds);
  if (w) out.push({ policy: 'weighted-round-robin', policyOptions: {}, weights: w });
  return out;
}

/**
 * Weights proportional to speed, by pod name, scaled so the fastest pod has 100 and rounded to
 * integers (at least 1, so no pod is starved by rounding). Undefined when speeds are unknown or
 * equal within 10% (then WRR is round-robin and adds nothing).
 */
export function speedWeights(speeds: Readonly<Record<string, number>>): Record<string, number> | undefined {
  const v = Object.values(speeds);
  if (v.length === 0 || v.some((s) => !(s > 0))) return undefined;
  const max = Math.max(...v);
  const min = Math.min(...v);
  if (min / max > 0.9) return undefined;
  return Object.fromEntries(Object.entries(speeds).map(([name, s]) => [name, Math.max(1, Math.round((100 * s) / max))]));
}

/**
 * The weight of pod `name`: its own; for a pod the setting does not name (one that was down while
 * the model was fitted, one added since) the largest weight, as a pod of unknown speed is not
 * to be starved; 1 without weights.
 */
export function weightOf(weights: Readonly<Record<string, number>> | undefined, name: string): number {
  if (!weights) return 1;
  const own = weights[name];
  if (own !== undefined) return own;
  const all = Object.values(weights);
  return all.length > 0 ? Math.max(...all) : 1;
}

/** Weights by name as a list over `names`: how a spec takes them. */
export function weightsFor(names: readonly string[], weights: Readonly<Record<string, number>> | undefined): number[] {
  return names.map((n) => weightOf(weights, n));
}

/** Canonical readable id of a setting (equal settings, equal ids). */
export function settingId(s: Setting): string {
  const parts: string[] = [s.mode, s.policy];
  if (s.policy === 'power-of-two' || s.policy === 'peak-ewma') parts.push(`d=${s.policyOptions.choices ?? 2}`);
  if (s.policy === 'peak-ewma') parts.push(`decay=${(s.policyOptions.decayMs ?? 10_000) / 1000}s`);
  if (s.policy === 'weighted-round-robin' && s.weights) parts.push(`w=${Object.keys(s.weights).sort(byPodName).map((n) => `${n}:${s.weights![n]}`).join(',')}`);
  if (s.policy === 'consistent-hash') parts.push(s.policyOptions.hashAlgorithm ?? 'ring');
  if ((s.policyOptions.slowStartMs ?? 0) > 0) parts.push(`slow-start=${s.policyOptions.slowStartMs! / 1000}s`);
  if (s.requestsPerConnection > 0) parts.push(`recycle=${s.requestsPerConnection}`);
  return parts.join(' ');
}

function toCandidate(s: Setting, cur: Setting): Candidate {
  const id = settingId(s);
  const current = id === settingId(cur);
  const reasons: string[] = [];
  if (s.mode !== cur.mode) reasons.push(`needs ${s.mode.toUpperCase()} mode instead of ${cur.mode.toUpperCase()} (the balancer's mode cannot change under a running test)`);
  if (s.requestsPerConnection !== cur.requestsPerConnection)
    reasons.push(`needs the clients to recycle connections after ${s.requestsPerConnection} requests (connections.requestsPerConnection; a client-side change)`);
  return {
    ...s,
    id,
    apply: reasons.length === 0 ? 'live' : 'recommend-only',
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    current,
  };
}
