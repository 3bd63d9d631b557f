import type { PolicyDeps, PickRequest, Policy, PodView } from './policy.js';
import { DistinctSampler } from './choose.js';

/** One pod's latency estimate, stored as last set, with the clock time it was set at. */
class Estimate {
  // `declare`d and set in the constructor: a field first defined as undefined (as a parameter
  // property is) loses the type V8's optimised code knows it by, and every read re-checks it;
  // here an `ewma` no longer known to be a double would box every update.
  declare ewma: number;
  declare stamp: number;
  /** Sweep generation in which the pod was last seen in a pods array. */
  declare seen: number;

  constructor(ewma: number, stamp: number, seen: number) {
    this.ewma = ewma;
    this.stamp = stamp;
    this.seen = seen;
  }
}

/**
 * Peak-EWMA: power of d choices over a decaying latency estimate weighted by load.
 *
 * Blends ingress-nginx's `ewma` balancer (`rootfs/etc/nginx/lua/balancer/ewma.lua`) with
 * Finagle's peak EWMA (`finagle-core/src/main/scala/com/twitter/finagle/loadbalancer/PeakEwma.scala`,
 * which ewma.lua cites as its inspiration; linkerd's balancer uses the same idea):
 * - the estimate decays with a time constant: an update after `dt` ms weighs the old value by
 *   `w = exp(-dt / decayMs)`, so the estimate averages over time, not over request counts;
 * - reading the estimate decays it towards 0 (ewma.lua's `score` decays with rtt = 0), so a pod
 *   that stopped being picked because it was slow becomes attractive again and gets probed;
 * - "peak" sensitivity (Finagle): a sample above the current estimate replaces it at once, so
 *   a pod that turns slow is avoided immediately, while recovery is smoothed;
 * - cost = estimate × (inflight + 1) (Finagle's load), compared among `choices` distinct random
 *   healthy candidates (ewma.lua's `pick_and_score` over `shuffle_peers`); the lowest cost wins,
 *   then the fewest in-flight (which makes it behave as power-of-two while no latency is known),
 *   then the first drawn, i.e. a uniformly random one;
 * - a pod never observed is seeded with the mean of the current estimates of the pods present
 *   (ewma.lua's `calculate_slow_start_ewma` when endpoints change), or counts as 0 while no
 *   estimate is known at all (then it is not stored, so it does not drag later means down).
 *
 * Weights are ignored. State of pods that left the pods array is forgotten by a sweep that runs
 * every few thousand picks (amortised O(1)), so memory stays bounded by the pods in use.
 * O(d) per pick with most pods healthy (one map lookup and one `exp` per candidate), O(n) worst
 * case; allocates only when a pod is first seen.
 */
export class PeakEwmaPolicy implements Policy {
  readonly name = 'peak-ewma' as const;
  private readonly state = new Map<string, Estimate>();
  private readonly sampler = new DistinctSampler();
  private generation = 0;
  private picksSinceSweep = 0;
  private sweepEvery = 1024;

  // `declare`d and set in the constructor: a field first defined as undefined (as a parameter
  // property is) loses the type V8's optimised code knows it by, and every read re-checks it.
  declare private readonly deps: PolicyDeps;
  declare private readonly choices: number;
  declare private readonly decayMs: number;

  constructor(deps: PolicyDeps, choices: number, decayMs: number) {
    this.deps = deps;
    this.choices = choices;
    this.decayMs = decayMs;
  }

  pick(pods: readonly PodView[], _request: PickRequest): number {
    if (++this.picksSinceSweep >= this.sweepEvery) this.sweep(pods);
    const k = this.sampler.sample(pods, this.choices, this.deps.random);
    if (k === 0) return -1;
    const chosen = this.sampler.chosen;
    const now = this.deps.clock.now();
    let best = -1;
    let bestCost = Infinity;
    let bestLoad = Infinity;
    for (let j = 0; j < k; j++) {
      const i = chosen[j];
      const load = pods[i].inflight;
      const cost = this.current(pods[i].name, pods, now) * (load + 1);
      if (cost < bestCost || (cost === bestCost && load < bestLoad)) {
        best = i;
        bestCost = cost;
        bestLoad = load;
      }
    }
    return best;
  }

  /**
   * Feeds a completed request's latency. The first sample of a pod sets its estimate; later
   * ones replace it when higher (peak) or are blended in with weight `1 - exp(-dt / decayMs)`.
   * Negative or non-finite latencies are ignored.
   */
  observe(pod: string, latencyMs: number): void {
    if (!(latencyMs >= 0 && latencyMs < Infinity)) return;
    const now = this.deps.clock.now();
    const s = this.state.get(pod);
    if (s === undefined) {
      this.state.set(pod, new Estimate(latencyMs, now, this.generation));
      return;
    }
    const w = this.weight(now - s.stamp);
    const decayed = s.ewma * w;
    s.ewma = latencyMs > decayed ? latencyMs : decayed + latencyMs * (1 - w);
    s.stamp = now;
  }

  /** The pod's current (decayed) latency estimate in ms, or undefined if none is kept. */
  estimate(pod: string): number | undefined {
    const s = this.state.get(pod);
    return s === undefined ? undefined : s.ewma * this.weight(this.deps.clock.now() - s.stamp);
  }

  /** How many pods have state (for tests and metrics: stays bounded by the pods in use). */
  get trackedPods(): number {
    return this.state.size;
  }

  /** Weight of the old value after `dt` ms; clocks never go back, but a clamp costs nothing. */
  private weight(dt: number): number {
    return dt > 0 ? Math.exp(-dt / this.decayMs) : 1;
  }

  /** Current estimate of a candidate, seeding it with the mean when never seen. */
  private current(name: string, pods: readonly PodView[], now: number): number {
    const s = this.state.get(name);
    if (s !== undefined) return s.ewma * this.weight(now - s.stamp);
    if (this.state.size === 0) return 0;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < pods.length; i++) {
      const e = this.state.get(pods[i].name);
      if (e === undefined) continue;
      sum += e.ewma * this.weight(now - e.stamp);
      count++;
    }
    if (count === 0) return 0;
    const seed = sum / count;
    this.state.set(name, new Estimate(seed, now, this.generation));
    return seed;
  }

  /** Forgets pods absent from `pods` (mark and sweep); rescheduled in proportion to size. */
  private sweep(pods: readonly PodView[]): void {
    const generation = ++this.generation;
    for (let i = 0; i < pods.length; i++) {
      const s = this.state.get(pods[i].name);
      if (s !== undefined) s.seen = generation;
    }
    for (const [name, s] of this.state) if (s.seen !== generation) this.state.delete(name);
    this.picksSinceSweep = 0;
    this.sweepEvery = 1024 + 4 * (pods.length + this.state.size);
  }
}
