import { z } from 'zod';
import { labPodName } from './pod-names.js';

/**
 * `expect.capacity`: each pod's relative capacity, which gives its expected share of requests.
 * Either a list in pod order (the lab's pod-1..pod-N, or the names a URL target declares) or a
 * record by pod name. A name that is not one of the target's pods is an error, never ignored.
 */
export const CapacitySpec = z.union([
  z.array(z.number().positive().max(1e6)).min(1),
  z.record(z.string().min(1).max(253), z.number().positive().max(1e6)),
]);
export type Capacity = z.output<typeof CapacitySpec>;

/** Capacity of a pod by name: from the list in the order of `names`, or the record; 1 when not given. */
export function capacityLookup(capacity: Capacity | undefined, names: readonly string[]): (pod: string) => number {
  if (capacity === undefined) return () => 1;
  const byName = new Map<string, number>(Array.isArray(capacity) ? names.map((n, i) => [n, capacity[i]] as const).filter(([, c]) => c !== undefined) : Object.entries(capacity));
  return (pod) => byName.get(pod) ?? 1;
}

/**
 * Problems of a capacity against the target's pods: `names` when they are known before the run
 * (undefined: the target names no pods, so a per-pod capacity cannot be placed; `why` says what
 * to declare). Values may be of the wrong type here (other checks report those).
 */
export function capacityIssues(capacity: unknown, names: readonly string[] | undefined, why: string): string[] {
  if (capacity === undefined || capacity === null || typeof capacity !== 'object') return [];
  if (names === undefined) return [`cannot be placed: ${why}`];
  if (Array.isArray(capacity)) return capacity.length === names.length ? [] : [`has ${capacity.length} entries for ${names.length} pods`];
  const known = new Set(names);
  return Object.keys(capacity)
    .filter((k) => !known.has(k))
    .map((k) => `no pod "${k}" (pods are ${describe(names)})`);
}

function describe(names: readonly string[]): string {
  if (names.length > 1 && names.every((n, i) => n === labPodName(i + 1))) return `${labPodName(1)}..${labPodName(names.length)}`;
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, … (${names.length} in all)`;
}
