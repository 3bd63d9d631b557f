import type { PickRequest, Policy, PodView } from './policy.js';

/**
 * nginx's smooth weighted round-robin (`ngx_http_upstream_get_peer` in
 * `src/http/ngx_http_upstream_round_robin.c`; changeset "Upstream: smooth weighted round-robin
 * balancing", nginx 1.3.1).
 *
 * Each pick adds every healthy pod's weight to its `current` score, picks the highest score
 * (the first one on a tie) and subtracts the total weight from it. Over any run of `sum`
 * consecutive picks with a stable pod set, each pod is picked exactly `weight` times, and the
 * picks are interleaved rather than bunched: weights a=5, b=1, c=1 give a a b a c a a.
 *
 * Deviations from nginx, on purpose: a weight of 0 means "never picked" (nginx refuses it);
 * nginx's `effective_weight` (lowered after failures) is left out because ejection is the
 * host's job, signalled through `healthy`. Unhealthy pods keep their score untouched, as in
 * nginx. A pod keeps its score while it stays in the pods array; a new pod starts at 0 and the
 * score of a removed pod is dropped. Returns -1 when no healthy pod has a positive weight.
 * O(n) per pick (as nginx); allocates only when the set of pod names changes.
 */
export class WeightedRoundRobinPolicy implements Policy {
  readonly name = 'weighted-round-robin' as const;
  /** Pod names in the order of the last pods array seen; `current[i]` belongs to `names[i]`. */
  private names: string[] = [];
  private current = new Float64Array(0);

  pick(pods: readonly PodView[], _request: PickRequest): number {
    this.align(pods);
    const current = this.current;
    let total = 0;
    let best = -1;
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i];
      if (!pod.healthy || !(pod.weight > 0)) continue;
      current[i] += pod.weight;
      total += pod.weight;
      if (best < 0 || current[i] > current[best]) best = i;
    }
    if (best >= 0) current[best] -= total;
    return best;
  }

  /** Re-indexes the scores by name when the pods array changed (order, additions, removals). */
  private align(pods: readonly PodView[]): void {
    const names = this.names;
    if (names.length === pods.length) {
      let same = true;
      for (let i = 0; i < pods.length && same; i++) same = pods[i].name === names[i];
      if (same) return;
    }
    const old = new Map<string, number>();
    for (let i = 0; i < names.length; i++) old.set(names[i], this.current[i]);
    this.names = pods.map((p) => p.name);
    this.current = new Float64Array(pods.length);
    for (let i = 0; i < pods.length; i++) this.current[i] = old.get(pods[i].name) ?? 0;
  }
}
