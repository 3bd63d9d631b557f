import { policyOptionsOf } from '../runs/plan.js';
import type { TestSpec } from '../spec/test-spec.js';
import { planFromTestSpec } from '../sim/plan-test-spec.js';
import type { SimPlan } from '../sim/sim-plan.js';
import { simulate } from '../sim/simulate.js';
import { candidates, weightOf, type Candidate, type Setting } from './candidates.js';
import { hasJoins, slowStartToTry, withJoin } from './joins.js';
import { speedsOf, type PodModel } from './fit-model.js';
import { compareScores, feasibility, objectiveFor, scoreOf, type Objective, type ObjectiveInput, type Score } from '../analysis/objective.js';
import { labPodName } from '../spec/pod-names.js';

/**
 * Step 1 of the tuner: simulate every candidate on the fitted pod model and rank them by the
 * objective. Pure (no I/O): the simulator runs in virtual time with a fixed seed, so the same
 * model and spec give the same ranking.
 */

/** Options of {@link recommend}. */
export interface RecommendOptions {
  objective?: ObjectiveInput;
  /** Simulated requests per candidate at most (bounded work). Default 200,000. */
  maxRequests?: number;
  /**
   * Virtual length of a closed-model simulation in ms: the spec's duration clamped to
   * [minSimMs, maxSimMs] (defaults 10 s and 60 s), so a short baseline still gives stable numbers.
   */
  minSimMs?: number;
  maxSimMs?: number;
  /** Seed of every simulation (default the spec's seed, else 1). */
  seed?: number;
  /** Requests per connection tried as recycling (candidates.ts). */
  recycleAfter?: number;
}

/** A candidate with its predicted numbers. */
export interface Ranked {
  candidate: Candidate;
  predicted: Score;
  feasible: boolean;
  violations: string[];
}

export interface Recommendation {
  objective: Objective;
  model: PodModel;
  /** The setting in force, as simulated. */
  current: Ranked;
  /** Every candidate, best first. */
  ranked: Ranked[];
  /** ranked[0]. */
  best: Ranked;
  simulatedRequests: number;
}

export const DEFAULT_MAX_SIM_REQUESTS = 200_000;

/** The setting a lab spec runs with (policy options converted to internal units). */
export function settingOf(spec: TestSpec): Setting {
  if (spec.target.kind !== 'lab') throw new RangeError('only a lab spec has a known balancer setting');
  const t = spec.target;
  return {
    policy: t.policy,
    policyOptions: policyOptionsOf(t.policyOptions),
    mode: t.mode,
    ...(t.weights ? { weights: Object.fromEntries(t.weights.map((w, i) => [labPodName(i + 1), w])) } : {}),
    requestsPerConnection: spec.connections.requestsPerConnection,
  };
}

/**
 * Simulates every candidate for `spec`'s workload on `model`'s pods and ranks them (best first).
 * The current setting is simulated the same way, so predicted numbers compare like with like.
 * @throws ValidationError when the spec's target is not the lab (its workload cannot be simulated).
 */
export function recommend(spec: TestSpec, model: PodModel, options: RecommendOptions = {}): Recommendation {
  const objective = objectiveFor(spec, options.objective);
  const all = candidates({
    current: settingOf(spec),
    podSpeeds: speedsOf(model),
    keepAlive: spec.connections.keepAlive,
    recycleAfter: options.recycleAfter,
    slowStartMs: slowStartToTry(spec),
  });
  let simulatedRequests = 0;
  const scored = all.map((candidate) => {
    const out = simulate(planFor(spec, model, candidate, options));
    simulatedRequests += out.simulatedRequests;
    return { candidate, predicted: scoreOf(out.result) };
  });
  const current = scored.find((s) => s.candidate.current)!;
  const cp99 = current.predicted.p99Ms;
  const ranked: Ranked[] = scored
    .sort((a, b) => compareScores(a.predicted, b.predicted, objective, cp99) || a.candidate.id.localeCompare(b.candidate.id))
    .map((s) => {
      const f = feasibility(s.predicted, objective, cp99);
      return { ...s, feasible: f.feasible, violations: f.violations };
    });
  return { objective, model, current: ranked.find((r) => r.candidate.current)!, ranked, best: ranked[0], simulatedRequests };
}

/** The simulation of `spec`'s workload with `candidate`'s balancer on the fitted pods. */
export function planFor(spec: TestSpec, model: PodModel, candidate: Setting, options: RecommendOptions = {}): SimPlan {
  const plan = planFromTestSpec({ ...spec, faults: [] }, { seed: options.seed });
  if (options.seed !== undefined) plan.seed = options.seed;
  plan.policy = candidate.policy;
  plan.policyOptions = { ...candidate.policyOptions };
  plan.mode = candidate.mode;
  plan.pods = plan.pods.map((p) => {
    const f = model.pods.find((m) => m.name === p.name);
    return {
      ...p,
      weight: weightOf(candidate.weights, p.name),
      ...(f ? { serviceTime: f.serviceTime, concurrency: f.concurrency, errorRate: f.errorRate, speed: 1 } : {}),
    };
  });
  if (plan.connections) plan.connections = { ...plan.connections, requestsPerConnection: candidate.requestsPerConnection };
  plan.maxRequests = options.maxRequests ?? DEFAULT_MAX_SIM_REQUESTS;
  if (plan.load.model === 'closed') {
    plan.durationMs = Math.min(options.maxSimMs ?? 60_000, Math.max(options.minSimMs ?? 10_000, plan.durationMs));
  }
  // Judged on a pod joining when the workload has joins, as the live verification is (joins.ts).
  return hasJoins(spec) ? withJoin(plan) : plan;
}
