import type { ClientConnections } from './client-connections.js';
import { POD_UP } from './pod-state.js';
import { REQ_WAITING } from './request-table.js';
import type { SimConnections } from './sim-plan.js';
import { FAIL_CONNECT } from './sim-recorder.js';
import type { RequestPath } from './request-path.js';

/**
 * The client side of a request when the plan has client connections (always in L4): take an
 * idle connection, open one (L4: the balancer places the *connection*, as kube-proxy does), or
 * wait for one; on completion, close the connection when keep-alive is off, when it reached
 * `requestsPerConnection`, or when its pod left, and hand it to the longest-waiting request.
 */
export class ConnectionPath {
  private readonly cfg?: SimConnections;
  /**
   * Closed model with no more users than connections: each user has a connection of its own (its
   * slot in `userConn`), as the live load generator gives it (load/http-sender.ts ClientPlan).
   */
  private readonly pinned: boolean;
  private userConn = new Int32Array(0);

  constructor(
    private readonly sim: RequestPath,
    private readonly conns: ClientConnections,
  ) {
    const plan = sim.plan;
    this.cfg = plan.connections;
    this.pinned = plan.load.model === 'closed' && plan.connections !== undefined && (plan.connections.maxConnections === 0 || plan.load.users <= plan.connections.maxConnections);
    if (this.pinned) this.userConn = new Int32Array(plan.load.model === 'closed' ? plan.load.users : 0).fill(-1);
  }

  /** Request `r` needs a connection. */
  acquire(r: number): void {
    if (this.pinned) return this.acquireOwn(r);
    const sim = this.sim;
    const conns = this.conns;
    let c = conns.takeIdle();
    if (c < 0) {
      if (!conns.canOpen()) {
        sim.req.state[r] = REQ_WAITING;
        conns.enqueue(r, sim.req.next);
        return;
      }
      c = this.open(r, conns.peekSlot());
      if (c < 0) return;
    }
    this.send(r, c);
  }

  /** A user's request on the user's own connection (opened again if it was closed). */
  private acquireOwn(r: number): void {
    const u = this.sim.req.user[r];
    const conns = this.conns;
    let c = this.userConn[u];
    // Its connection was closed (and its slot may since serve another user): open a new one.
    if (c < 0 || conns.open[c] === 0 || conns.client[c] !== u) {
      c = this.open(r, u);
      if (c < 0) return;
      this.userConn[u] = c;
    }
    conns.ownIdle[c] = 0;
    this.send(r, c);
  }

  /** Opens a connection for `r` as virtual client `client` (L4: placed by a balancer); -1 when no pod is healthy. */
  private open(r: number, client: number): number {
    const sim = this.sim;
    const b = sim.nextBalancer();
    let p = -1;
    if (sim.l4) {
      p = sim.pickFor(b, client);
      if (p < 0) {
        sim.fail(r, FAIL_CONNECT, true);
        return -1;
      }
      sim.balancers[b].viewOf[p].inflight++;
    }
    return this.conns.openConn(p, b, client);
  }

  private send(r: number, c: number): void {
    const conns = this.conns;
    this.sim.req.conn[r] = c;
    conns.uses[c]++;
    if (this.sim.l4) this.sim.forward(r, conns.pod[c], conns.balancer[c]);
    else this.sim.dispatch(r, conns.balancer[c]);
  }

  /** The request on connection `c` is done (answered or failed). */
  release(c: number): void {
    const sim = this.sim;
    const conns = this.conns;
    const cfg = this.cfg;
    const l4 = sim.l4;
    if (conns.open[c] === 0) conns.retire(c);
    else if (
      (cfg !== undefined && (!cfg.keepAlive || (cfg.requestsPerConnection > 0 && conns.uses[c] >= cfg.requestsPerConnection))) ||
      (l4 && sim.pods.state[conns.pod[c]] !== POD_UP)
    ) {
      if (l4) sim.balancers[conns.balancer[c]].viewOf[conns.pod[c]].inflight--;
      conns.close(c, false);
    }
    // A user's own connection is nobody else's: it is not idle for others, and nobody waits for it.
    if (this.pinned) {
      if (conns.open[c] === 1) conns.ownIdle[c] = 1;
      return;
    }
    const w = conns.dequeue(sim.req.next);
    if (w < 0) {
      if (conns.open[c] === 1) conns.pushIdle(c);
    } else if (conns.open[c] === 1) this.send(w, c);
    else this.acquire(w);
  }
}
