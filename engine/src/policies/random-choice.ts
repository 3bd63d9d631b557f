import type { PolicyDeps, PickRequest, Policy, PodView } from './policy.js';
import { DistinctSampler } from './choose.js';

/**
 * Uniform random choice among the healthy pods (Envoy's RANDOM policy,
 * `source/extensions/load_balancing_policies/random`). Weights and load are ignored.
 * O(1) expected when most pods are healthy (rejection sampling), O(n) worst case.
 */
export class RandomChoicePolicy implements Policy {
  readonly name = 'random' as const;
  private readonly sampler = new DistinctSampler();

  // `declare`d and set in the constructor: a field first defined as undefined (as a parameter
  // property is) loses the type V8's optimised code knows it by, and every read re-checks it.
  declare private readonly deps: PolicyDeps;

  constructor(deps: PolicyDeps) {
    this.deps = deps;
  }

  pick(pods: readonly PodView[], _request: PickRequest): number {
    return this.sampler.sample(pods, 1, this.deps.random) === 0 ? -1 : this.sampler.chosen[0];
  }
}
