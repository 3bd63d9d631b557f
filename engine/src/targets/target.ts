import type { ChaosLab } from '../chaos/fault.js';
import type { DeclaredPods } from './declared-pods.js';

/**
 * What a run needs from the thing under test: where to send traffic and, at each tick, which
 * pods exist and are eligible for traffic (plus their busy time where the target knows it), and
 * which pods stand behind it before they answer (`declaredPods`).
 * One implementation per kind: lab, url (kubernetes arrives with its own issue).
 */
export interface TargetPod {
  name: string;
  /** Up and in the balancer's rotation: counted in the balance score. */
  eligible: boolean;
  /** Cumulative milliseconds spent serving requests (sum over concurrent requests), when known. */
  busyMs?: number;
  /** Cumulative squared service times (ms²), when known: how noisy busy time is (analysis/balance.ts). */
  busySqMs?: number;
  /** Requests the pod serves at once, when known (turns busy time into a utilisation fraction). */
  concurrency?: number;
}

export interface Target {
  readonly kind: 'lab' | 'url';
  /**
   * The pods that stand behind the target, declared before they answer (declared-pods.ts): a URL
   * target's `target.pods`, the pods a Kubernetes target discovers. Each counts in the balance,
   * with zero requests while it never answers. Undefined: only the pods that answer are known
   * (or, for the lab, `pods()` tells).
   */
  readonly declaredPods?: DeclaredPods;
  /** Base URL the load generator sends to. */
  readonly url: string;
  /** Response header naming the serving pod. */
  readonly podHeader: string;
  /** The pods as the target sees them now; empty when it cannot tell (url targets). */
  pods(): Promise<TargetPod[]>;
  /** What faults act on, when the target can take them (the lab); absent otherwise. */
  readonly chaos?: ChaosLab;
  /** Releases everything the target started (lab servers); idempotent. */
  close(): Promise<void>;
}
