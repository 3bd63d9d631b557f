import type { Policy, PodView } from './policy.js';
import { nextHealthy, RotatingScan } from './choose.js';

/**
 * Round-robin over the healthy pods, ignoring weights and load.
 *
 * The cursor is the index after the last pick (as undici's RoundRobinPool and kube-proxy's
 * userspace round-robin do), so an unhealthy pod is skipped without disturbing the rotation of
 * the others. When pods are added or removed the cursor is taken modulo the new length: the
 * rotation continues, at most one pod being skipped or repeated once per change. O(1) per
 * pick when the next pod is healthy, O(n) worst case; allocates nothing.
 */
export class RoundRobinPolicy extends RotatingScan implements Policy {
  readonly name = 'round-robin' as const;

  protected scan(pods: readonly PodView[], start: number): number {
    return nextHealthy(pods, start);
  }
}
