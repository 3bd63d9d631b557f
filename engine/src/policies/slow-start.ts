import type { Policy, PodView, PickRequest, PolicyDeps } from './policy.js';

/** Envoy's defaults for slow start: linear ramp (aggression 1), never below 10% of normal. */
const MIN_FACTOR = 0.1;

/** Where a pod is in its ramp: when it last joined (ms), whether it was healthy, and at which pick it was last listed. */
interface JoinState {
  joinedAt: number;
  healthy: boolean;
  seenAt: number;
}

/**
 * Slow start (Envoy's `slow_start_window`, nginx plus' `slow_start`): a pod that joins after the
 * balancer started (scaled up) or comes back healthy (ejected, then recovered) gets a share of
 * traffic that ramps up linearly over `windowMs`, from 10% of what the policy would give it,
 * instead of all of it at once: least-connections would otherwise send a new pod (0 in flight)
 * every request until it caught up, the thundering herd that hurts pods still warming caches,
 * JITs and connection pools.
 *
 * Works around any policy but consistent-hash (moving keys off a cold pod would break their
 * affinity; Envoy too offers it only for round-robin and least-request): when the policy picks a
 * pod in its window, the pick is kept with probability f = age / window, floored at 10%, else the
 * pod is hidden and the policy picks again. Under round-robin that is exactly a weight of f
 * (share f / (n - 1 + f)). With several cold pods at once the turned-down picks compound: under
 * least-connections four idle new pods next to four busy ones take about a third of the picks
 * at first instead of all of them. Pods listed at the first pick are warm; a pod that is ejected
 * or leaves the list, then comes back, ramps again. One pass over the pods per pick, paid only
 * when slow start is on.
 */
export class SlowStartPolicy implements Policy {
  readonly name: Policy['name'];
  readonly observe?: Policy['observe'];
  private readonly state = new Map<string, JoinState>();
  private picks = 0;

  constructor(
    private readonly inner: Policy,
    private readonly windowMs: number,
    private readonly deps: PolicyDeps,
  ) {
    this.name = inner.name;
    if (inner.observe) this.observe = (pod, ms) => inner.observe!(pod, ms);
  }

  pick(pods: readonly PodView[], request: PickRequest): number {
    const now = this.deps.clock.now();
    this.track(pods, now);
    let view = pods;
    for (let tries = 0; tries < pods.length; tries++) {
      const i = this.inner.pick(view, request);
      if (i < 0) return tries === 0 ? -1 : this.firstHidden(view, pods);
      const f = this.factor(pods[i].name, now);
      if (f >= 1 || this.deps.random.next() < f) return i;
      // Hide the cold pod and ask again; only cold pods are ever hidden.
      if (view === pods) view = pods.slice();
      (view as PodView[])[i] = { ...pods[i], healthy: false };
    }
    return this.firstHidden(view, pods);
  }

  /** Share factor of a pod now: 1 when warm, else its linear ramp, at least MIN_FACTOR. */
  factor(pod: string, now: number): number {
    const s = this.state.get(pod);
    if (s === undefined) return 1;
    const age = now - s.joinedAt;
    return age >= this.windowMs ? 1 : Math.max(MIN_FACTOR, age / this.windowMs);
  }

  private track(pods: readonly PodView[], now: number): void {
    const pick = ++this.picks;
    for (const p of pods) {
      const s = this.state.get(p.name);
      if (s === undefined) this.state.set(p.name, { joinedAt: pick === 1 ? -Infinity : now, healthy: p.healthy, seenAt: pick });
      else {
        // Back after being ejected, or after leaving the list (scaled in, then out again under the same name).
        if (p.healthy && (!s.healthy || s.seenAt !== pick - 1)) s.joinedAt = now;
        s.healthy = p.healthy;
        s.seenAt = pick;
      }
    }
  }

  /** Every healthy pod was cold and turned down: the first of them still beats no pod at all. */
  private firstHidden(view: readonly PodView[], pods: readonly PodView[]): number {
    for (let i = 0; i < pods.length; i++) if (pods[i].healthy && !view[i].healthy) return i;
    return -1;
  }
}
