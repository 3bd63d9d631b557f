import type { PolicyDeps, PickRequest, Policy, PodView } from './policy.js';
import { DistinctSampler } from './choose.js';

/**
 * Power of d choices ("least request" with d random candidates): draw `choices` distinct
 * healthy pods at random and keep the one with the fewest in-flight requests.
 *
 * Reference: Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing" (IEEE TPDS
 * 2001): with d = 2 the maximum load drops from Θ(log n / log log n) to Θ(log log n / log d);
 * Envoy's LEAST_REQUEST (`choice_count`, default 2) is the same algorithm. Ties are broken
 * uniformly at random (the candidates come in random order and the first lowest is kept).
 * O(d) expected with most pods healthy, O(n) worst case; allocates nothing.
 */
export class PowerOfTwoPolicy implements Policy {
  readonly name = 'power-of-two' as const;
  private readonly sampler = new DistinctSampler();
  // `declare`d and set in the constructor: a field first defined as undefined (as a parameter
  // property is) loses the type V8's optimised code knows it by, and every read re-checks it.
  declare private readonly deps: PolicyDeps;
  declare private readonly choices: number;

  constructor(deps: PolicyDeps, choices: number) {
    this.deps = deps;
    this.choices = choices;
  }

  pick(pods: readonly PodView[], _request: PickRequest): number {
    const k = this.sampler.sample(pods, this.choices, this.deps.random);
    if (k === 0) return -1;
    const chosen = this.sampler.chosen;
    let best = chosen[0];
    for (let j = 1; j < k; j++) {
      if (pods[chosen[j]].inflight < pods[best].inflight) best = chosen[j];
    }
    return best;
  }
}
