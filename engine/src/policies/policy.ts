import type { Clock } from '../core/clock.js';
import type { Random } from '../core/random.js';

/**
 * The one balancing-policy interface, shared by the lab proxy (real time), the simulator
 * (virtual time) and tests (seeded). A policy does no I/O; its host adapts its own pod state
 * to PodView and tells the policy what it observed.
 *
 * Design note: ARCHITECTURE.md §3 lists "observed latency EWMA" in the view. Here the policy
 * owns that estimate (fed through `observe`) because its decay is a policy parameter; the
 * hosts would otherwise each keep a copy of the same EWMA code.
 */
export interface PodView {
  /** Stable pod name ("pod-1"); policies key their per-pod state by it. */
  readonly name: string;
  /** Requests (L7) or connections (L4) the host currently has open to this pod. */
  readonly inflight: number;
  /** Configured balancer weight (>= 0); only weight-aware policies read it. */
  readonly weight: number;
  /** False while the host has ejected the pod; a policy never picks an unhealthy pod. */
  readonly healthy: boolean;
}

/** What the host knows about the request (L7) or connection (L4) being placed. */
export interface PickRequest {
  /**
   * The hash key for consistent-hash, already extracted by the host according to the policy's
   * `hashKey` option (a header value, the path, or the client address). Ignored by the others.
   */
  readonly key?: string;
}

export interface Policy {
  /** The registered kebab-case name. */
  readonly name: PolicyName;
  /**
   * Returns the index (into `pods`) of the chosen pod, or -1 when no pod is healthy.
   * `pods` may change between calls (pods added, removed, ejected): policies must cope.
   */
  pick(pods: readonly PodView[], request: PickRequest): number;
  /** Reports a completed request's latency (ms) on a pod. Optional: only latency-aware policies use it. */
  observe?(pod: string, latencyMs: number): void;
}

export const POLICY_NAMES = [
  'round-robin',
  'weighted-round-robin',
  'random',
  'least-connections',
  'power-of-two',
  'peak-ewma',
  'consistent-hash',
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Where consistent-hash takes its key from. */
export type HashKeySource = { from: 'header'; header: string } | { from: 'path' } | { from: 'client' };

/** Tunables of every policy; each policy reads only its own. Defaults in DEFAULT_POLICY_OPTIONS. */
export interface PolicyOptions {
  /** power-of-two / peak-ewma: how many random candidates to compare (d). Default 2. */
  choices: number;
  /** peak-ewma: decay time constant in ms (ingress-nginx uses 10 s). */
  decayMs: number;
  /** consistent-hash: ring (ketama-style, virtual nodes) or maglev (lookup table). */
  hashAlgorithm: 'ring' | 'maglev';
  /** consistent-hash: where the key comes from. */
  hashKey: HashKeySource;
  /** consistent-hash ring: virtual nodes per unit of weight. */
  virtualNodes: number;
  /**
   * Every policy: a pod that joins or recovers ramps from 10% to its full share over this many
   * ms (Envoy's slow_start_window; see slow-start.ts). 0 (default) turns slow start off.
   */
  slowStartMs: number;
}

/** Slow start would move keys off cold pods, breaking the affinity consistent-hash is chosen for. */
export const SLOW_START_WITH_HASH = { path: 'slowStartMs', message: 'consistent-hash has no slow start (it would move keys off cold pods and break their affinity)' } as const;

export const DEFAULT_POLICY_OPTIONS: PolicyOptions = {
  choices: 2,
  decayMs: 10_000,
  hashAlgorithm: 'ring',
  hashKey: { from: 'client' },
  virtualNodes: 160,
  slowStartMs: 0,
};

/** Injected dependencies: the only sources of randomness and time a policy may use. */
export interface PolicyDeps {
  readonly random: Random;
  readonly clock: Clock;
}
