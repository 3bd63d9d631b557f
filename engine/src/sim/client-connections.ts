import { grownI32, grownU8 } from './typed-arrays.js';

/**
 * The load generator's connection pool in virtual time, modelled on load/connection-set.ts:
 * up to `max` connections opened on demand, a FIFO of idle ones (reused in turn, the one idle
 * longest first, so every open connection carries traffic), and a FIFO of requests waiting for one. In L4 mode a
 * connection is pinned to the pod the balancer chose when it opened, which is how keep-alive
 * imbalance arises: with 2 long-lived connections, 2 pods get every request.
 *
 * State is struct-of-arrays; the waiting FIFO is threaded through the request table's `next`.
 */
export class ClientConnections {
  /** Pod the connection is pinned to (L4), -1 in L7 (the balancer places each request). */
  pod: Int32Array;
  /** The virtual client the connection belongs to (its source address, core/client-address.ts). */
  client: Int32Array;
  /** 1 while a user's own connection (connection-path.ts, pinned) is open with nothing on it: idle, though not in the idle ring. */
  ownIdle: Uint8Array;
  balancer: Int32Array;
  uses: Int32Array;
  open: Uint8Array;
  /** Open connections. */
  count = 0;
  /** Ring of idle connections (capacity = the arrays' length; each connection is in it at most once). */
  private idle: Int32Array;
  private idleHead = 0;
  private idleCount = 0;
  private free: Int32Array;
  private freeTop = 0;
  private used = 0;
  private waitHead = -1;
  private waitTail = -1;
  /** Requests waiting for a connection. */
  waiting = 0;

  /** @param max open connections at most; 0 = unlimited (grows to the peak concurrency). */
  constructor(readonly max: number) {
    const cap = max > 0 ? Math.min(max, 1024) : 64;
    this.pod = new Int32Array(cap);
    this.client = new Int32Array(cap);
    this.ownIdle = new Uint8Array(cap);
    this.balancer = new Int32Array(cap);
    this.uses = new Int32Array(cap);
    this.open = new Uint8Array(cap);
    this.idle = new Int32Array(cap);
    this.free = new Int32Array(cap);
  }

  /** An idle connection, or -1. */
  takeIdle(): number {
    if (this.idleCount === 0) return -1;
    const c = this.idle[this.idleHead];
    this.idleHead = (this.idleHead + 1) % this.idle.length;
    this.idleCount--;
    return c;
  }

  /** True when another connection may be opened. */
  canOpen(): boolean {
    return this.max === 0 || this.count < this.max;
  }

  /** The slot the next {@link openConn} takes (the live pool's connection of that index). */
  peekSlot(): number {
    return this.freeTop > 0 ? this.free[this.freeTop - 1] : this.used;
  }

  /**
   * Opens a connection (to `pod` through `balancer` in L4; pod -1 in L7) for virtual client
   * `client` (default: the slot's own index, as the live pool numbers its connections).
   */
  openConn(pod: number, balancer: number, client = -1): number {
    let c: number;
    if (this.freeTop > 0) c = this.free[--this.freeTop];
    else {
      if (this.used === this.pod.length) this.grow();
      c = this.used++;
    }
    this.client[c] = client >= 0 ? client : c;
    this.pod[c] = pod;
    this.balancer[c] = balancer;
    this.uses[c] = 0;
    this.open[c] = 1;
    this.count++;
    return c;
  }

  /**
   * Closes `c` (not in the idle ring). A connection closed while its request is out (its pod
   * failed) keeps its slot until {@link retire}, so the slot is not reused under that request.
   */
  close(c: number, busy: boolean): void {
    if (this.open[c] === 1) {
      this.open[c] = 0;
      this.count--;
    }
    if (!busy) this.free[this.freeTop++] = c;
  }

  /** Frees the slot of a connection closed while busy, once its request is done with it. */
  retire(c: number): void {
    this.free[this.freeTop++] = c;
  }

  /** Marks a connection idle (reusable by the next request). */
  pushIdle(c: number): void {
    this.idle[(this.idleHead + this.idleCount) % this.idle.length] = c;
    this.idleCount++;
  }

  /** Queues request `r` for the next free connection. */
  enqueue(r: number, next: Int32Array): void {
    next[r] = -1;
    if (this.waitTail < 0) this.waitHead = r;
    else next[this.waitTail] = r;
    this.waitTail = r;
    this.waiting++;
  }

  /** The longest-waiting request, or -1. */
  dequeue(next: Int32Array): number {
    const r = this.waitHead;
    if (r < 0) return -1;
    this.waitHead = next[r];
    if (this.waitHead < 0) this.waitTail = -1;
    this.waiting--;
    return r;
  }

  /**
   * Closes every open connection pinned to `pod` (it failed): idle ones leave the idle ring and
   * are freed; busy ones are closed but keep their slot until their request retires them.
   * `onClose` gets the balancer of each (its view of the pod loses a connection).
   */
  closeAllOn(pod: number, onClose: (balancer: number) => void): void {
    const idleNow = new Uint8Array(this.used);
    const kept: number[] = [];
    for (let i = 0; i < this.idleCount; i++) {
      const c = this.idle[(this.idleHead + i) % this.idle.length];
      if (this.pod[c] === pod) idleNow[c] = 1;
      else kept.push(c);
    }
    this.idle.set(kept);
    this.idleHead = 0;
    this.idleCount = kept.length;
    for (let c = 0; c < this.used; c++) {
      if (this.ownIdle[c] === 1 && this.pod[c] === pod) {
        idleNow[c] = 1;
        this.ownIdle[c] = 0;
      }
    }
    for (let c = 0; c < this.used; c++) {
      if (this.open[c] === 1 && this.pod[c] === pod) {
        this.close(c, idleNow[c] === 0);
        onClose(this.balancer[c]);
      }
    }
  }

  private grow(): void {
    const cap = this.pod.length * 2;
    this.pod = grownI32(this.pod, cap);
    this.client = grownI32(this.client, cap);
    this.ownIdle = grownU8(this.ownIdle, cap);
    this.balancer = grownI32(this.balancer, cap);
    this.uses = grownI32(this.uses, cap);
    this.idle = this.unwrappedIdle(cap);
    this.free = grownI32(this.free, cap);
    this.open = grownU8(this.open, cap);
  }

  /** The idle ring copied in order to the start of a larger array (its capacity changes). */
  private unwrappedIdle(cap: number): Int32Array {
    const out = new Int32Array(cap);
    for (let i = 0; i < this.idleCount; i++) out[i] = this.idle[(this.idleHead + i) % this.idle.length];
    this.idleHead = 0;
    return out;
  }
}
