import type { Policy, PodView } from './policy.js';
import { RotatingScan } from './choose.js';

/**
 * The healthy pod with the fewest in-flight requests (L7) or connections (L4); weights are
 * ignored.
 *
 * Ties: round-robin among the tied pods. The scan starts just after the previous pick and keeps
 * the first pod with the strictly lowest count, so pods with equal counts take turns; this is
 * what nginx's `least_conn` does (it falls back to round-robin among the peers with the least
 * connections, `ngx_http_upstream_least_conn_module.c`). Envoy instead picks randomly among
 * ties; round-robin is chosen here because it needs no random draws and spreads ties exactly
 * evenly (with zero load it degenerates to plain round-robin, not to "always pod 0").
 * O(n) per pick, allocates nothing.
 */
export class LeastConnectionsPolicy extends RotatingScan implements Policy {
  readonly name = 'least-connections' as const;

  protected scan(pods: readonly PodView[], start: number): number {
    // The wrapped scan as two straight runs ([start, n), then [0, start)): O(n) per pick, so the
    // index arithmetic of one wrapping loop is measurable.
    return this.lowest(pods, 0, start, this.lowest(pods, start, pods.length, -1));
  }

  /** The first healthy pod in [from, to) with fewer in flight than `best` (-1: none yet), else `best`. */
  private lowest(pods: readonly PodView[], from: number, to: number, best: number): number {
    let bestLoad = best < 0 ? Infinity : pods[best].inflight;
    for (let i = from; i < to; i++) {
      const pod = pods[i];
      // `=== true`: see choose.ts.
      if (pod.healthy === true && pod.inflight < bestLoad) {
        best = i;
        bestLoad = pod.inflight;
      }
    }
    return best;
  }
}
