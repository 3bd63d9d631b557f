import type { PickRequest, Policy, PodView } from './policy.js';
import { effectiveWeight, hashMembers, type HashLookup } from './hash-members.js';
import { HashRing } from './hash-ring.js';
import { MaglevTable } from './maglev-table.js';
import { murmur3 } from './hash.js';

/** Picks between two full comparisons of the pods array with the one the structure was built from. */
const VERIFY_EVERY = 64;

/**
 * Consistent hashing of `request.key` (built by the host with `hashKeyFor`) onto the pods, with
 * a ketama-style ring (`hash-ring.ts`) or a Maglev table (`maglev-table.ts`).
 *
 * - Key: murmur3 x86_32 of its UTF-8 bytes; a missing key hashes as the empty string, so all
 *   requests without a key go to one pod (deterministic, like a key that is always empty).
 * - Weights: a pod's share is proportional to its weight; weight 0 means no share, never picked.
 * - Health: the ring/table covers every pod with a positive weight, healthy or not. A key whose
 *   pod is unhealthy goes to the next healthy pod (ring: next point clockwise; maglev: salted
 *   rehash, see `MaglevTable`), so ejecting a pod moves only that pod's keys and re-admitting
 *   it moves them back, without a rebuild.
 * - Rebuilds: lazily, when the list of (name, weight) changed (pods added, removed, reordered
 *   or reweighted), never because of health. Checking that list is O(n), so it is done in full
 *   only when the host passes a different array or a different length, when the picked index
 *   holds another pod (or weight) than at build time or no pod is found, and every 64 picks
 *   otherwise. A host that keeps one array and mutates it in place therefore gets O(1)
 *   (maglev) / O(log P) (ring) picks, and an in-place change that none of these checks sees
 *   takes effect within 64 picks; passing a new array makes any change take effect at once.
 * Returns -1 when no healthy pod has a positive weight.
 */
export class ConsistentHashPolicy implements Policy {
  readonly name = 'consistent-hash' as const;
  private names: string[] = [];
  private weights: number[] = [];
  private structure: HashLookup | undefined;
  private builtFrom: readonly PodView[] | undefined;
  private picksSinceVerify = 0;
  private builds = 0;

  constructor(
    private readonly algorithm: 'ring' | 'maglev',
    private readonly virtualNodes: number,
  ) {}

  pick(pods: readonly PodView[], request: PickRequest): number {
    const verify =
      pods !== this.builtFrom || pods.length !== this.names.length || ++this.picksSinceVerify >= VERIFY_EVERY;
    if (verify) this.sync(pods);
    const hash = murmur3(request.key ?? '');
    let i = this.lookup(pods, hash);
    if (!verify && (i < 0 || pods[i].name !== this.names[i] || effectiveWeight(pods[i]) !== this.weights[i])) {
      // The structure may be stale (an in-place change not verified yet): check in full, retry.
      this.sync(pods);
      i = this.lookup(pods, hash);
    }
    return i;
  }

  /** How many times the ring or table was built (for tests: proves rebuilds are lazy). */
  get rebuilds(): number {
    return this.builds;
  }

  private lookup(pods: readonly PodView[], hash: number): number {
    return this.structure === undefined ? -1 : this.structure.lookup(pods, hash);
  }

  /** Rebuilds when the (name, weight) list differs from the one the structure was built from. */
  private sync(pods: readonly PodView[]): void {
    this.builtFrom = pods;
    this.picksSinceVerify = 0;
    const names = this.names;
    const weights = this.weights;
    let same = this.builds > 0 && names.length === pods.length;
    for (let i = 0; i < pods.length && same; i++) {
      same = pods[i].name === names[i] && effectiveWeight(pods[i]) === weights[i];
    }
    if (same) return;
    this.names = pods.map((p) => p.name);
    this.weights = pods.map(effectiveWeight);
    const members = hashMembers(pods);
    this.structure =
      members.length === 0
        ? undefined
        : this.algorithm === 'maglev'
          ? new MaglevTable(members)
          : new HashRing(members, this.virtualNodes);
    this.builds++;
  }
}
