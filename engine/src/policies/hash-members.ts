import type { PodView } from './policy.js';

/** A pod that owns part of a hash ring or Maglev table: one with a positive finite weight. */
export interface HashMember {
  readonly name: string;
  readonly weight: number;
  /** Its index in the pods array the structure was built from. */
  readonly index: number;
}

/** The weight a consistent-hash structure gives a pod: 0 (no share) unless positive and finite. */
export function effectiveWeight(pod: PodView): number {
  return pod.weight > 0 && pod.weight < Infinity ? pod.weight : 0;
}

/**
 * The members of `pods` sorted by name, so that a ring or table depends only on the set of
 * (name, weight) and not on the order in which the host lists its pods.
 */
export function hashMembers(pods: readonly PodView[]): HashMember[] {
  const members: HashMember[] = [];
  for (let i = 0; i < pods.length; i++) {
    const weight = effectiveWeight(pods[i]);
    if (weight > 0) members.push({ name: pods[i].name, weight, index: i });
  }
  return members.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.index - b.index));
}

/** Looks a 32-bit key hash up, walking past unhealthy pods; -1 when it finds no healthy pod. */
export interface HashLookup {
  lookup(pods: readonly PodView[], hash: number): number;
}

/** True when some pod can be picked by a hash structure: healthy with a positive weight. */
export function anyHealthyMember(pods: readonly PodView[]): boolean {
  for (let i = 0; i < pods.length; i++) if (pods[i].healthy && effectiveWeight(pods[i]) > 0) return true;
  return false;
}
