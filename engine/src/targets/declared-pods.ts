/**
 * The pods a target says stand behind it before any of them answers: declared in the spec (a URL
 * target's `target.pods`) or discovered (the Kubernetes target fills the same list from the
 * cluster). The analysis counts a declared pod that never answers as a pod with zero requests, so
 * a balancer that starves pods is caught even though the starved pods send nothing back.
 */
export interface DeclaredPods {
  /** Their names, when known (as the pod header gives them). */
  readonly names: readonly string[];
  /** How many pods there are (>= names.length); those beyond the named ones are known only by count. */
  readonly count: number;
}

/** The pods to judge, given what was declared and which pods have answered. */
export interface Roster {
  /** Every pod to judge: declared, answered, and one placeholder per declared pod not yet seen. */
  pods: string[];
  /** Declared pods that have not answered (placeholders for pods known only by count). */
  silent: string[];
  /** Pods that answered without being declared (a name the declaration does not have, or more pods than its count). */
  undeclared: string[];
}

/** Name of the k-th (1-based) declared pod known only by count that has not answered. */
export const unseenPod = (k: number): string => `unseen-${k}`;

/**
 * The roster over `declared` and the pods that answered so far. Pure.
 * - names: every name, plus any pod that answered without being named (undeclared);
 * - a count: the pods that answered, plus `unseen-1`, `unseen-2`, … up to the count.
 */
export function rosterOf(declared: DeclaredPods | undefined, answered: Iterable<string>): Roster {
  const seen = [...new Set(answered)];
  if (!declared) return { pods: seen, silent: [], undeclared: [] };
  const named = new Set(declared.names);
  const extra = seen.filter((p) => !named.has(p));
  const silentNamed = declared.names.filter((n) => !seen.includes(n));
  // Pods known only by count are the first answering pods beyond the names.
  const unnamedSlots = Math.max(0, declared.count - declared.names.length);
  const placeholders = Array.from({ length: Math.max(0, unnamedSlots - extra.length) }, (_, i) => unseenPod(i + 1));
  return {
    pods: [...declared.names, ...extra, ...placeholders],
    silent: [...silentNamed, ...placeholders],
    undeclared: extra.slice(unnamedSlots),
  };
}
