import type { PodView } from './policy.js';
import { anyHealthyMember, type HashLookup, type HashMember } from './hash-members.js';
import { mix32, murmur3 } from './hash.js';

/**
 * Table sizes: primes, so that every skip in [1, M-1] walks the whole table. The paper asks
 * for M much larger than the number of backends (≥ 100×) to keep shares within ~1%;
 * 65537 is also Envoy's default `table_size`.
 */
const PRIMES = [65537, 131071, 262139, 524287, 1048573, 2097143, 4194301, 8388593, 16777213];
/** Salted rehashes tried when a key's entry belongs to an unhealthy pod, before a linear walk. */
const REHASHES = 16;
/** Seeds of the two per-pod hashes (offset and skip) of the Maglev permutation. */
const OFFSET_SEED = 0x6d61676c;
const SKIP_SEED = 0x65760000;

/**
 * Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
 * Balancer", NSDI 2016, §3.4 Algorithm 1), with weights as in Envoy's
 * `source/extensions/load_balancing_policies/maglev/maglev_lb.cc`: members take turns filling
 * their next preferred empty slot, a member of weight w taking a turn in w/max(w) of the rounds.
 *
 * Unhealthy pods keep their entries (no rebuild on a health flap, and no key of a healthy pod
 * moves). A key whose entry belongs to an unhealthy pod is rehashed with salts 1..16, which
 * spreads that pod's keys over the others in proportion to their table shares; if all 16 land on
 * unhealthy pods (probability f^17 for an unhealthy fraction f) the lookup checks in O(n) that
 * some pod is healthy and walks the table linearly from the last slot, which then always ends
 * on a healthy member's entry (every member has at least one).
 * Lookup is O(1) expected.
 */
export class MaglevTable implements HashLookup {
  // `declare`d and set in the constructor: a field first defined as undefined loses the type
  // V8's optimised code knows it by, and every lookup would re-check it.
  declare readonly size: number;
  declare private readonly table: Int32Array;

  constructor(members: readonly HashMember[]) {
    const size = PRIMES.find((p) => p >= 100 * members.length);
    if (size === undefined) throw new RangeError(`consistent-hash maglev: too many pods (${members.length})`);
    this.size = size;
    this.table = new Int32Array(size).fill(-1);
    if (members.length > 0) this.fill(members);
  }

  private fill(members: readonly HashMember[]): void {
    const size = this.size;
    const table = this.table;
    const n = members.length;
    const next = new Float64Array(n);
    const skip = new Float64Array(n);
    const target = new Float64Array(n);
    let maxWeight = 0;
    for (let i = 0; i < n; i++) {
      next[i] = murmur3(members[i].name, OFFSET_SEED) % size;
      skip[i] = (murmur3(members[i].name, SKIP_SEED) % (size - 1)) + 1;
      maxWeight = Math.max(maxWeight, members[i].weight);
    }
    let filled = 0;
    for (let round = 1; filled < size; round++) {
      for (let i = 0; i < n && filled < size; i++) {
        if (round * members[i].weight < target[i]) continue;
        target[i] += maxWeight;
        let c = next[i];
        while (table[c] !== -1) {
          c += skip[i];
          if (c >= size) c -= size;
        }
        table[c] = members[i].index;
        c += skip[i];
        next[i] = c >= size ? c - size : c;
        filled++;
      }
    }
  }

  lookup(pods: readonly PodView[], hash: number): number {
    const size = this.size;
    const table = this.table;
    let slot = hash % size;
    let owner = table[slot];
    if (owner < 0) return -1;
    if (pods[owner].healthy) return owner;
    for (let salt = 1; salt <= REHASHES; salt++) {
      slot = mix32(hash, salt) % size;
      owner = table[slot];
      if (pods[owner].healthy) return owner;
    }
    // Rare slow path: make sure the walk can end before taking it.
    if (!anyHealthyMember(pods)) return -1;
    for (let step = 1; step < size; step++) {
      owner = table[slot + step < size ? slot + step : slot + step - size];
      if (pods[owner].healthy) return owner;
    }
    return -1;
  }
}
