import type { Distribution } from '../core/distribution.js';
import type { PodView } from '../policies/policy.js';
import type { SimPodPlan } from './sim-plan.js';

/** A pod's place in the run: in rotation and healthy, failed (ejected), or not running. */
export const POD_UP = 0;
/** Failed: in rotation but unhealthy (ejected); it answers nothing. */
export const POD_FAILED = 1;
/** Not running: never started, or scaled in (it still drains what it holds). */
export const POD_OUT = 2;

/**
 * One balancer's view of one pod: what the policy reads (ARCHITECTURE.md §3). Each balancer
 * instance owns its own views, so `inflight` counts only what *that* balancer sent, as each
 * ingress replica or Envoy worker only knows its own requests. A plain class with mutable fields
 * (readonly to the policy through PodView) keeps the policies' property loads monomorphic.
 */
export class SimPodView implements PodView {
  // Fields set in the constructor are `declare`d: see RequestPath.
  declare readonly name: string;
  declare weight: number;
  /** Index of the pod in the simulation (views arrays hold only the pods in rotation). */
  declare readonly pod: number;
  inflight = 0;
  healthy = true;

  constructor(name: string, weight: number, pod: number) {
    this.name = name;
    this.weight = weight;
    this.pod = pod;
  }
}

/**
 * The pods' state, struct-of-arrays: the hot loop reads typed arrays, never objects. A pod
 * serves up to `concurrency` requests at once and queues the rest FIFO; the queue is a linked
 * list threaded through the request table (`RequestTable.next`), so it costs no memory of its
 * own. A pod's queue is non-empty only while it has no free slot. Free slots and the queue's
 * head are all the request path tests (no in-service or queued counts to keep in step: each
 * typed-array access on the per-request path costs several instructions).
 */
export class PodState {
  declare readonly n: number;
  declare readonly names: string[];
  declare readonly dist: Distribution[];
  /** Mean of an exponential service time, 0 for any other kind: the hot path draws it inline (no `sample` call). */
  declare readonly expMeanMs: Float64Array;
  declare readonly concurrency: Int32Array;
  /** 1 / speed: multiplies every sampled service time. */
  declare readonly slowness: Float64Array;
  declare readonly errorRate: Float64Array;
  declare readonly errorStatus: Int32Array;
  declare readonly capacity: Float64Array;
  declare readonly state: Uint8Array;
  /** Slots not serving a request: concurrency minus requests in service. */
  declare readonly freeSlots: Int32Array;
  /** First and last request of the FIFO, -1 when it is empty. */
  declare readonly queueHead: Int32Array;
  declare readonly queueTail: Int32Array;
  /** Virtual time the pod last (re)joined, for slow start; -Infinity for pods warm from the start. */
  declare readonly joinedAt: Float64Array;
  /** Busy server-milliseconds (sum of service times) in the current window and the whole run. */
  declare readonly windowBusy: Float64Array;
  declare readonly totalBusy: Float64Array;
  /** Sum of squared service times (ms²) in the current window: the noise of busy time (analysis/balance.ts). */
  declare readonly windowBusySq: Float64Array;
  /** Requests answered (any status) in the current window and the whole run; errors likewise. */
  declare readonly windowCount: Float64Array;
  declare readonly totalCount: Float64Array;
  declare readonly totalErrors: Float64Array;
  /** 1 once the pod was ever in rotation (it then appears in the Result). */
  declare readonly everIn: Uint8Array;

  constructor(plans: readonly SimPodPlan[], initial: number) {
    const n = plans.length;
    this.n = n;
    this.names = plans.map((p) => p.name);
    this.dist = plans.map((p) => p.serviceTime);
    this.expMeanMs = Float64Array.from(plans, (p) => (p.serviceTime.kind === 'exp' ? p.serviceTime.meanMs : 0));
    this.concurrency = Int32Array.from(plans, (p) => p.concurrency);
    this.slowness = Float64Array.from(plans, (p) => 1 / p.speed);
    this.errorRate = Float64Array.from(plans, (p) => p.errorRate);
    this.errorStatus = Int32Array.from(plans, (p) => p.errorStatus);
    this.capacity = Float64Array.from(plans, (p) => p.capacity);
    this.state = new Uint8Array(n).fill(POD_OUT);
    this.state.fill(POD_UP, 0, initial);
    this.everIn = new Uint8Array(n);
    this.everIn.fill(1, 0, initial);
    this.freeSlots = this.concurrency.slice();
    this.queueHead = new Int32Array(n).fill(-1);
    this.queueTail = new Int32Array(n).fill(-1);
    this.joinedAt = new Float64Array(n).fill(-Infinity);
    this.windowBusy = new Float64Array(n);
    this.totalBusy = new Float64Array(n);
    this.windowBusySq = new Float64Array(n);
    this.windowCount = new Float64Array(n);
    this.totalCount = new Float64Array(n);
    this.totalErrors = new Float64Array(n);
  }

  /** Index of the pod named `name`, or -1. */
  indexOf(name: string): number {
    return this.names.indexOf(name);
  }
}
