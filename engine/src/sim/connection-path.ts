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

  constructor(
    private readonly sim: RequestPath,
    private readonly conns: ClientConnections,
  ) {
    this.cfg = sim.plan.connections;
  }

  /** Request `r` needs a connection. */
  acquire(r: number): void {
    const sim = this.sim;
    const conns = this.conns;
    let c = conns.takeIdle();
    if (c < 0) {
      if (!conns.canOpen()) {
        sim.req.state[r] = REQ_WAITING;
        conns.enqueue(r, sim.req.next);
        return;
      }
      const b = sim.nextBalancer();
      let p = -1;
      if (sim.l4) {
        p = sim.pickFor(r, b);
        if (p < 0) return sim.fail(r, FAIL_CONNECT, true);
        sim.balancers[b].viewOf[p].inflight++;
      }
      c = conns.openConn(p, b);
    }
    this.send(r, c);
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
    const w = conns.dequeue(sim.req.next);
    if (w < 0) {
      if (conns.open[c] === 1) conns.pushIdle(c);
    } else if (conns.open[c] === 1) this.send(w, c);
    else this.acquire(w);
  }
}
