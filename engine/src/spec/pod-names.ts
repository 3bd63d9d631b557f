/**
 * How the lab names its pods: pod-1, pod-2, … in the order they start. Faults, capacities by
 * name, weights and results name the lab's pods this way, and the simulator names its pods alike.
 */

/** The lab's i-th pod, counting from 1. */
export const labPodName = (i: number): string => `pod-${i}`;

/** The lab's first `n` pods: pod-1..pod-n. */
export const labPodNames = (n: number): string[] => Array.from({ length: n }, (_, i) => labPodName(i + 1));
