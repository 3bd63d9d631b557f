import type { Distribution } from '../core/distribution.js';
import type { Issue } from '../core/errors.js';

/**
 * Faults a lab pod applies on top of its PodBehaviour (chaos/ sets them, one of each kind at a
 * time). They are a separate layer so that rolling a fault back restores exactly what the
 * behaviour was, even if the behaviour itself was changed while the fault was active.
 */
export interface PodFaults {
  /**
   * Extra delay before the request reaches the service queue, like a sidecar's fault delay
   * (Envoy's fault filter): it holds no concurrency slot and adds no busy time.
   */
  delay?: { latency: Distribution; fraction: number };
  /** Answers `status` at once to a fraction of requests without serving them (Envoy's abort). */
  abort?: { rate: number; status: number };
  /** Fraction of requests whose connection is reset (TCP RST) instead of answered. */
  resetRate?: number;
  /** Response bodies are sent at this many bytes per second (a slow link). */
  bytesPerSecond?: number;
}

/** Names of the fault kinds a pod holds. */
export type PodFaultKind = keyof PodFaults;

/** Merges `patch` into `current`; a key set to undefined in the patch clears that kind. */
export function mergePodFaults(current: PodFaults, patch: Partial<PodFaults>): PodFaults {
  const out: PodFaults = { ...current };
  for (const k of Object.keys(patch) as PodFaultKind[]) {
    if (patch[k] === undefined) delete out[k];
    else (out as Record<string, unknown>)[k] = patch[k];
  }
  return out;
}

/** True when no fault is set (the pod's hot path then skips every fault check). */
export function noPodFaults(f: PodFaults): boolean {
  return f.delay === undefined && f.abort === undefined && !f.resetRate && f.bytesPerSecond === undefined;
}

/** Pacing of a bandwidth-limited body: one slice every SLICE_MS. */
export const SLICE_MS = 20;

const KINDS: ReadonlySet<string> = new Set(['delay', 'abort', 'resetRate', 'bytesPerSecond']);
const rate = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1;

/**
 * Checks a patch for the Lab's own API (chaos/ validates its inputs first; this guards direct
 * library use). Distributions are checked where they are parsed (chaos/, spec/).
 */
export function checkPodFaults(patch: Partial<PodFaults>, path: string): Issue[] {
  if (typeof patch !== 'object' || patch === null) return [{ path, message: 'must be an object' }];
  const issues: Issue[] = [];
  for (const k of Object.keys(patch)) if (!KINDS.has(k)) issues.push({ path: `${path}.${k}`, message: 'unknown field' });
  const { delay, abort, resetRate, bytesPerSecond } = patch;
  if (delay !== undefined && !(typeof delay?.latency === 'object' && rate(delay.fraction)))
    issues.push({ path: `${path}.delay`, message: 'needs a latency distribution and a fraction 0-1' });
  if (abort !== undefined && !(rate(abort?.rate) && Number.isInteger(abort?.status) && abort.status >= 400 && abort.status <= 599))
    issues.push({ path: `${path}.abort`, message: 'needs a rate 0-1 and a status 400-599' });
  if (resetRate !== undefined && !rate(resetRate)) issues.push({ path: `${path}.resetRate`, message: 'must be 0-1' });
  if (bytesPerSecond !== undefined && !(typeof bytesPerSecond === 'number' && bytesPerSecond >= 1 && Number.isFinite(bytesPerSecond)))
    issues.push({ path: `${path}.bytesPerSecond`, message: 'must be a number >= 1' });
  return issues;
}
