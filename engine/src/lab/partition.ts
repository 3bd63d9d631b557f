/**
 * Network partitions between the lab's balancer and a pod, done inside the proxy worker on
 * 127.0.0.1 (never with network namespaces, routes or packet filters): the proxy itself refuses
 * or holds every connect it would make to the pod, and its health probes fail the same way.
 */

/** `refused`: connects fail at once (a REJECT). `blackhole`: connects hang until their timeout (a DROP). */
export type PartitionMode = 'refused' | 'blackhole';

/** One pod's partition as the proxy applies it. */
export interface Partition {
  mode: PartitionMode;
  /** How long a connect to a black-holed pod hangs before failing, ms (undici's own default is 10 s). */
  connectTimeoutMs: number;
}

interface Hold {
  timer: NodeJS.Timeout;
  proceed(): void;
  fail(): void;
}

const noop = (): void => {};

/**
 * The gate every new connect to a partitioned pod goes through (L7: each forwarded request;
 * L4: each client connection). A held connect fails at its timeout; if the partition heals
 * first it goes on, as a retransmitted SYN would once the path is back.
 */
export class PartitionGate {
  private readonly holds = new Set<Hold>();

  constructor(readonly partition: Partition) {}

  /** Refused: `fail` at once. Black hole: held until the timeout (`fail`) or heal (`proceed`). Returns a cancel function. */
  connect(proceed: () => void, fail: () => void): () => void {
    if (this.partition.mode === 'refused') {
      fail();
      return noop;
    }
    const hold: Hold = {
      proceed,
      fail,
      timer: setTimeout(() => {
        this.holds.delete(hold);
        fail();
      }, this.partition.connectTimeoutMs),
    };
    this.holds.add(hold);
    return () => {
      clearTimeout(hold.timer);
      this.holds.delete(hold);
    };
  }

  /** A health probe through the partition: always false; a black hole answers only at the timeout. */
  probe(timeoutMs: number): Promise<boolean> {
    if (this.partition.mode === 'refused') return Promise.resolve(false);
    return new Promise((resolve) => setTimeout(() => resolve(false), Math.min(timeoutMs, this.partition.connectTimeoutMs)));
  }

  /** The partition ended: held connects go on (their `proceed` re-checks the pod's current state). */
  heal(): void {
    for (const h of this.drain()) h.proceed();
  }

  /** The pod left or the proxy closes: held connects fail now. */
  abort(): void {
    for (const h of this.drain()) h.fail();
  }

  /** Connects held right now. */
  get held(): number {
    return this.holds.size;
  }

  private drain(): Hold[] {
    const all = [...this.holds];
    this.holds.clear();
    for (const h of all) clearTimeout(h.timer);
    return all;
  }
}
