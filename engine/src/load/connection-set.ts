import { Client, type Dispatcher } from 'undici';

/** What the set needs of a request: its undici handler, plus two fields of bookkeeping. */
export interface ConnectionSlot extends Dispatcher.DispatchHandler {
  /** Index of the connection the request was sent on; -1 while it waits for one. */
  conn: number;
  /** Bumped on every send and when a waiting request is given up, so that its queue entry is skipped. */
  seq: number;
}

/**
 * Up to `max` undici Clients (one connection each, pipelining 1) behind an O(1) scheduler: a
 * FIFO of idle connections and a FIFO of requests waiting for one. Idle connections are reused
 * in turn (the one idle longest first), so below saturation every open connection carries
 * traffic, as Fortio's `-c` connections each do: a most-recently-used stack put nearly every
 * request of a light run on one connection, left the others idle until undici closed them (its
 * keep-alive timeout, 3-4 s against a Node server), and the burst that reopened them was placed
 * anew by an L4 balancer, so "connections kept open" were not. It does what undici's Pool
 * does for us, minus its per-dispatch costs: Pool looks for a free client with a linear scan
 * and, when every connection is busy (always, in a saturating run), queues and re-dispatches
 * through 'drain' events. Measured on this machine at 64 connections against one Node server:
 * bare Pool dispatch 39 k req/s, one Client per connection 44 k, autocannon 44 k.
 * Clients are created on demand, so an idle run opens few connections, as Pool would.
 */
export class ConnectionSet {
  private readonly clients: Client[] = [];
  /** Ring of idle connection indexes; each connection is in it at most once. */
  private readonly idle: Int32Array;
  private idleHead = 0;
  private idleCount = 0;
  /** Waiting requests with their seq at the time they were queued; `head` avoids shifting. */
  private waiting: ConnectionSlot[] = [];
  private waitingSeq: number[] = [];
  private head = 0;

  /**
   * @param addressOf source address of connection `i` (core/client-address.ts), so that each
   *   connection is a distinct client to the balancer; undefined: the OS picks one
   */
  constructor(
    private readonly origin: string,
    private readonly options: Client.Options,
    private readonly max: number,
    private readonly addressOf?: (conn: number) => string,
  ) {
    this.idle = new Int32Array(max);
  }

  /** Sends `slot` on an idle connection (opening one if allowed), or queues it. */
  dispatch(opts: Dispatcher.DispatchOptions, slot: ConnectionSlot): void {
    let conn = this.takeIdle();
    if (conn === undefined && this.clients.length < this.max) {
      conn = this.clients.length;
      this.clients.push(this.newClient(conn));
    }
    if (conn === undefined) {
      slot.conn = -1;
      this.waiting.push(slot);
      this.waitingSeq.push(slot.seq);
      return;
    }
    slot.conn = conn;
    this.clients[conn].dispatch(opts, slot);
  }

  /**
   * Sends `slot` on connection `conn`, which belongs to one closed-model user alone (opened on
   * its first request): the user is a client of its own, with its own address, as a browser or a
   * k6 VU is. A user has one request out at a time, so the connection is always free for it.
   */
  dispatchPinned(conn: number, opts: Dispatcher.DispatchOptions, slot: ConnectionSlot): void {
    let client = this.clients[conn];
    if (client === undefined) {
      client = this.newClient(conn);
      this.clients[conn] = client;
    }
    slot.conn = conn;
    client.dispatch(opts, slot);
  }

  private newClient(conn: number): Client {
    return new Client(this.origin, this.addressOf ? { ...this.options, localAddress: this.addressOf(conn) } : this.options);
  }

  /**
   * Connection `conn` has finished its request: it takes the next waiting one, if any. Called
   * from inside the undici callback; the Client queues the new request and writes it as soon
   * as the current exchange is done.
   */
  release(conn: number, opts: Dispatcher.DispatchOptions): void {
    while (this.head < this.waiting.length) {
      const slot = this.waiting[this.head];
      const seq = this.waitingSeq[this.head];
      this.head++;
      if (slot.conn === -1 && slot.seq === seq) {
        this.compact();
        slot.conn = conn;
        this.clients[conn].dispatch(opts, slot);
        return;
      }
    }
    this.compact();
    this.idle[(this.idleHead + this.idleCount) % this.max] = conn;
    this.idleCount++;
  }

  private takeIdle(): number | undefined {
    if (this.idleCount === 0) return undefined;
    const conn = this.idle[this.idleHead];
    this.idleHead = (this.idleHead + 1) % this.max;
    this.idleCount--;
    return conn;
  }

  /** Closes every connection once its requests are done. */
  async close(): Promise<void> {
    await Promise.all(this.open().map((c) => c.close()));
  }

  /** The clients opened (pinned connections leave gaps in the array). */
  private open(): Client[] {
    return this.clients.filter((c): c is Client => c !== undefined);
  }

  /** Destroys every connection now; the requests on them fail. Waiting requests are forgotten. */
  async destroy(): Promise<void> {
    this.waiting = [];
    this.waitingSeq = [];
    this.head = 0;
    await Promise.all(this.open().map((c) => c.destroy()));
  }

  /** Drops consumed queue entries: all of them when empty, else once they are the larger half. */
  private compact(): void {
    if (this.head === this.waiting.length) {
      if (this.head > 0) {
        this.waiting.length = 0;
        this.waitingSeq.length = 0;
        this.head = 0;
      }
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.waitingSeq = this.waitingSeq.slice(this.head);
      this.head = 0;
    }
  }
}
