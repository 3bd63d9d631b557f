import type { PodView } from './policy.js';
import { anyHealthyMember, type HashLookup, type HashMember } from './hash-members.js';
import { murmur3 } from './hash.js';

/**
 * Upper bound on ring points, as Envoy's `maximum_ring_size` default (8M): beyond it the points
 * per pod are scaled down proportionally (each pod keeping at least one).
 */
const MAX_RING_POINTS = 1 << 23;
/** Points walked past unhealthy pods before checking, in O(n), that any pod is healthy. */
const WALK_BEFORE_CHECK = 32;
/** Member ranks are packed under the hash in one float64 sort key: hash × 2^21 + rank < 2^53. */
const RANK_BITS = 2 ** 21;

/**
 * Ketama-style consistent-hash ring (Karger et al., "Consistent Hashing and Random Trees",
 * STOC 1997; libketama's points per server; Envoy's `ring_hash`): each member gets
 * round(virtualNodes × weight) points at murmur3("name-i"), and a key goes to the first point
 * at or after its hash, wrapping around.
 *
 * Unhealthy pods keep their points; a lookup that lands on one walks on to the next point of a
 * healthy pod. That is exactly where the key would go if the pod were removed from the ring, so
 * ejecting a pod moves only its own keys, and a health flap costs no rebuild.
 * Lookup is a binary search, O(log P) for P points.
 */
export class HashRing implements HashLookup {
  // `declare`d and set in the constructor: a field first defined as undefined loses the type
  // V8's optimised code knows it by, and every lookup would re-check it.
  declare private readonly points: Uint32Array;
  declare private readonly owners: Int32Array;

  constructor(members: readonly HashMember[], virtualNodes: number) {
    if (members.length >= RANK_BITS) throw new RangeError(`consistent-hash ring: too many pods (${members.length})`);
    let total = 0;
    for (const m of members) total += Math.max(1, Math.round(virtualNodes * m.weight));
    const scale = total > MAX_RING_POINTS ? MAX_RING_POINTS / total : 1;
    const counts = members.map((m) => Math.max(1, Math.round(virtualNodes * m.weight * scale)));
    const size = counts.reduce((a, b) => a + b, 0);
    // Sorting (hash, rank) pairs packed in one float64 orders equal hashes by member name, so
    // the ring does not depend on the order of the pods array.
    const keys = new Float64Array(size);
    let k = 0;
    members.forEach((m, rank) => {
      for (let i = 0; i < counts[rank]; i++) keys[k++] = murmur3(`${m.name}-${i}`) * RANK_BITS + rank;
    });
    keys.sort();
    this.points = new Uint32Array(size);
    this.owners = new Int32Array(size);
    for (let j = 0; j < size; j++) {
      const rank = keys[j] % RANK_BITS;
      this.points[j] = (keys[j] - rank) / RANK_BITS;
      this.owners[j] = members[rank].index;
    }
  }

  lookup(pods: readonly PodView[], hash: number): number {
    const points = this.points;
    const n = points.length;
    if (n === 0) return -1;
    // Lower bound: first point >= hash.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    for (let step = 0; step < n; step++) {
      // A long walk is rare (many pods down); check once that it can end before going on.
      if (step === WALK_BEFORE_CHECK && !anyHealthyMember(pods)) return -1;
      const j = lo + step < n ? lo + step : lo + step - n;
      const owner = this.owners[j];
      if (pods[owner].healthy) return owner;
    }
    return -1;
  }
}
