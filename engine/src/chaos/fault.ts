import type { Issue } from '../core/errors.js';
import type { PodBehaviour } from '../spec/pod-behaviour.js';
import type { LabPodOptions } from '../lab/lab-options.js';
import type { Partition, PartitionMode } from '../lab/partition.js';
import type { PodFaults } from '../lab/pod-faults.js';

/**
 * Faults: one interface here, one file per type (latency.ts, errors.ts, ...), registered in
 * registry.ts. A FaultDefinition turns validated parameters into a Fault, which applies itself
 * to a ChaosLab and rolls itself back. The FaultManager (fault-manager.ts) owns the lifecycle:
 * TTL, rollback on every path, events, metrics.
 */

/** Every fault type, kebab-case as in the TestSpec and the API. */
export const FAULT_TYPES = [
  'latency',
  'errors',
  'pod-failure',
  'partition',
  'connection-reset',
  'bandwidth',
  'scale-up',
  'scale-down',
] as const;
export type FaultType = (typeof FAULT_TYPES)[number];

/** Severity presets (severity.ts documents what each one means per type). */
export const SEVERITIES = ['low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The parameters of each type after severity presets are applied (JSON, as recorded). */
export interface FaultParams {
  /** `delay`: a distribution (`200ms`, `exp:50ms`, ...) added to `fraction` of requests. */
  latency: { delay: string; fraction: number };
  /** `rate` of requests answered `status` at once. */
  errors: { rate: number; status: number };
  /** The pods stop; with `kill` they stay down after the fault ends, else they restart. */
  'pod-failure': { kill: boolean };
  /** The balancer cannot reach the pods: connects refused, or hanging for `connectTimeout`. */
  partition: { mode: PartitionMode; connectTimeout: string };
  /** `rate` of requests whose connection is reset. */
  'connection-reset': { rate: number };
  /** Response bodies flow at `bytesPerSecond`. */
  bandwidth: { bytesPerSecond: number };
  /** Pods are added (how many: the targets); they are removed when the fault ends. */
  'scale-up': Record<string, never>;
  /** The target pods are removed; they come back (same name, behaviour, weight) when it ends. */
  'scale-down': Record<string, never>;
}

/** A lab pod as faults see it. */
export interface ChaosPod {
  name: string;
  up: boolean;
  weight: number;
  behaviour: PodBehaviour;
}

/**
 * What faults act on: the embedded lab (lab/lab.ts implements it). Methods reject with a
 * ScaleError `not_found` for an unknown pod and `conflict` once the lab is closed.
 */
export interface ChaosLab {
  pods(): ChaosPod[];
  stopPod(name: string): Promise<void>;
  startPod(name: string): Promise<void>;
  addPod(options?: LabPodOptions): Promise<string>;
  removePod(name: string): Promise<void>;
  setPodFaults(name: string, patch: Partial<PodFaults>): Promise<void>;
  setPartition(name: string, partition: Partition | undefined): Promise<void>;
}

/**
 * Optional ability of a ChaosLab: guard rails checked before a fault changes anything (a
 * cluster's limit on the fraction of pods one fault may touch). Returns every problem.
 */
export interface FaultGuard {
  guard(type: FaultType, pods: string[], count: number): Issue[];
  /** True when changes are only checked, never made (Kubernetes server-side dry run). */
  readonly dryRun?: boolean;
}

/** One fault with its pods chosen and its parameters resolved, ready to apply. */
export interface Fault {
  /**
   * Applies the fault and resolves with the pods it acted on (scale-up: the pods it added).
   * On failure it undoes whatever it had done and rejects.
   */
  apply(lab: ChaosLab): Promise<string[]>;
  /** Undoes `apply`. Idempotent; never rejects for pods that are gone or a lab that closed. */
  rollback(lab: ChaosLab): Promise<void>;
}

/** Which pods a type's targets (`pods` | `count` | `percent`) mean. */
export type TargetKind = 'existing' | 'new';

/** A fault type: its documented presets and how to build its Fault. */
export interface FaultDefinition<T extends FaultType = FaultType> {
  type: T;
  /** `existing`: targets pick pods of the lab; `new`: they say how many pods to add (scale-up). */
  targets: TargetKind;
  /** The parameters each severity implies when the fault does not set them (severity.ts). */
  presets: Record<Severity, FaultParams[T]>;
  /** Builds the Fault for the chosen pods (for `new`: the names to add, or `count` to let the lab name them). */
  create(pods: string[], params: FaultParams[T], count: number): Fault;
}

/** Why a fault ended. */
export type EndReason = 'expired' | 'removed' | 'test-ended' | 'test-stopped' | 'shutdown' | 'reconciled' | 'failed';

/** A fault as the manager reports it: the API lists these and the store keeps them as events. */
export interface FaultRecord {
  id: string;
  /** The test (run id) whose lab it acts on. */
  testId: string;
  type: FaultType;
  severity: Severity;
  /** Pods it acts on (scale-up: the pods it added). */
  pods: string[];
  /** Resolved parameters (presets filled in). */
  params: Record<string, unknown>;
  /** From the TestSpec's `faults`, or injected through the API. */
  source: 'spec' | 'api';
  state: 'active' | 'ended' | 'failed';
  /** ISO-8601: when the fault was fully applied (it is in force from here). */
  startedAt: string;
  /** ISO-8601: when its TTL ends. */
  expiresAt: string;
  /** ISO-8601: when its rollback began (in force until here); null while active. */
  endedAt: string | null;
  endReason?: EndReason;
  /** Why it failed to apply (state `failed`), or a rollback that went wrong. */
  error?: string;
}

/** What the manager emits: a fault started, ended, or failed to apply. */
export interface FaultEvent {
  kind: 'started' | 'ended' | 'failed';
  fault: FaultRecord;
}
