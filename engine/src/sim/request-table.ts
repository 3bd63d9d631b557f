import { grownF64, grownI32, grownU8 } from './typed-arrays.js';

/** Where a request is: the state field of {@link RequestTable}. */
export const REQ_FREE = 0;
/** Waiting at the client for a connection. */
export const REQ_WAITING = 1;
/** In a pod's FIFO queue. */
export const REQ_QUEUED = 2;
/** In service on its pod (a departure event is queued). */
export const REQ_SERVING = 3;
/** Already answered (failed with its pod) but its departure event is still in the queue. */
export const REQ_ZOMBIE = 4;

/**
 * The requests in flight, struct-of-arrays with a free list: a slot is taken on arrival and
 * given back on completion, so memory is bounded by the peak number of requests in flight,
 * never by the number simulated. Arrays double when full; readers must re-read a field after
 * `alloc` (it may have replaced the array).
 */
export class RequestTable {
  // Fields set in the constructor are `declare`d: see RequestPath.
  /** Arrival time at the client (latency is measured from here, as the live load generator does). */
  declare start: Float64Array;
  /** Time the balancer forwarded it (what a proxy measures and feeds to latency-aware policies). */
  declare forwarded: Float64Array;
  /** Service time drawn at service start. */
  declare service: Float64Array;
  declare pod: Int32Array;
  declare balancer: Int32Array;
  /** Client connection, -1 without a pool. */
  declare conn: Int32Array;
  /** Closed-model user, -1 in the open model. */
  declare user: Int32Array;
  /** Next request in the same FIFO (pod queue or connection wait queue), -1 at the tail. */
  declare next: Int32Array;
  declare state: Uint8Array;
  declare private free: Int32Array;
  private freeTop = 0;
  /** Slots ever handed out (the high-water mark). */
  used = 0;

  constructor(capacity = 1024) {
    this.start = new Float64Array(capacity);
    this.forwarded = new Float64Array(capacity);
    this.service = new Float64Array(capacity);
    this.pod = new Int32Array(capacity);
    this.balancer = new Int32Array(capacity);
    this.conn = new Int32Array(capacity);
    this.user = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.state = new Uint8Array(capacity);
    this.free = new Int32Array(capacity);
  }

  /** Takes a slot; its fields hold stale values until set. */
  alloc(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop];
    if (this.used === this.start.length) this.grow();
    return this.used++;
  }

  /** Gives slot `r` back. Its `state` is the caller's to reset (only runs with failures track states). */
  release(r: number): void {
    this.free[this.freeTop++] = r;
  }

  private grow(): void {
    const cap = this.start.length * 2;
    this.start = grownF64(this.start, cap);
    this.forwarded = grownF64(this.forwarded, cap);
    this.service = grownF64(this.service, cap);
    this.pod = grownI32(this.pod, cap);
    this.balancer = grownI32(this.balancer, cap);
    this.conn = grownI32(this.conn, cap);
    this.user = grownI32(this.user, cap);
    this.next = grownI32(this.next, cap);
    this.free = grownI32(this.free, cap);
    this.state = grownU8(this.state, cap);
  }
}
