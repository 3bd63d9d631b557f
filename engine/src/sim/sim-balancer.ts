import type { Clock } from '../core/clock.js';
import { seededRandom, type Random } from '../core/random.js';
import { createPolicy } from '../policies/registry.js';
import type { PickRequest, Policy } from '../policies/policy.js';
import { POD_FAILED, POD_OUT, SimPodView, type PodState } from './pod-state.js';
import type { SimPlan } from './sim-plan.js';

/**
 * One balancer instance (an ingress replica, an Envoy worker): its own policy object, its own
 * random stream and its own views of the pods, so that N instances make N independent
 * decisions from N partial pictures of the load, as they do in a cluster.
 */
export class SimBalancer {
  // Fields set in the constructor are `declare`d: see RequestPath.
  declare readonly policy: Policy;
  /** Views of every pod, by pod index (fixed for the run). */
  declare readonly viewOf: SimPodView[];
  /** Views of the pods in rotation, in pod order: what the policy is given. */
  views: SimPodView[] = [];
  /** Whether the policy wants completed latencies (peak-ewma). */
  declare readonly observes: boolean;
  /**
   * The policy's `pick`, read once: every policy class goes through the one call site in
   * {@link pick}, where reading `policy.pick` on each call is a megamorphic lookup (measured at
   * about 100 instructions a request).
   */
  declare private readonly pickOf: Policy['pick'];

  constructor(plan: SimPlan, index: number, clock: Clock, pods: PodState) {
    // Each instance gets its own stream, derived from the run's seed and its index.
    const random = seededRandom(streamSeed(plan.seed, 16 + index));
    this.policy = createPolicy(plan.policy, plan.policyOptions, { random, clock });
    this.observes = typeof this.policy.observe === 'function';
    this.pickOf = this.policy.pick;
    this.viewOf = plan.pods.map((p, i) => new SimPodView(p.name, p.weight, i));
    this.refresh(pods);
  }

  /** Rebuilds `views` from the pods' states (after a scale event) and sets health flags. */
  refresh(pods: PodState): void {
    this.views = this.viewOf.filter((v) => pods.state[v.pod] !== POD_OUT);
    for (const v of this.viewOf) v.healthy = pods.state[v.pod] !== POD_FAILED;
  }

  /** {@link pick}, counting the request in the chosen pod's view (found once, not twice). */
  place(request: PickRequest): number {
    const i = this.pickOf.call(this.policy, this.views, request);
    if (i < 0) return -1;
    const v = this.views[i];
    v.inflight++;
    return v.pod;
  }

  /** The chosen pod's index (not the view index), or -1 when none is healthy. */
  pick(request: PickRequest): number {
    const i = this.pickOf.call(this.policy, this.views, request);
    return i < 0 ? -1 : this.views[i].pod;
  }
}

/**
 * Seed of an independent stream: the run's seed mixed with a stream number (a Weyl step, then
 * seededRandom's own splitmix), so streams of one run and runs of nearby seeds do not overlap.
 */
export function streamSeed(seed: number, stream: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(stream, 0x85ebca6b)) >>> 0;
}

/**
 * How requests (L7) or connections (L4) are spread over N balancer instances: in turn, as DNS
 * round-robin or a cloud load balancer in front of ingress replicas; or at random.
 */
export class Spreader {
  private cursor = 0;
  declare private readonly n: number;
  declare private readonly mode: 'round-robin' | 'random';
  declare private readonly random: Random;

  constructor(n: number, mode: 'round-robin' | 'random', random: Random) {
    this.n = n;
    this.mode = mode;
    this.random = random;
  }

  next(): number {
    const n = this.n;
    if (n === 1) return 0;
    if (this.mode === 'random') return Math.floor(this.random.next() * n);
    const b = this.cursor;
    this.cursor = b + 1 === n ? 0 : b + 1;
    return b;
  }
}
