import { POD_FAILED, POD_OUT, POD_UP } from './pod-state.js';
import { REQ_QUEUED, REQ_SERVING, REQ_ZOMBIE } from './request-table.js';
import { FAIL_RESET } from './sim-recorder.js';
import type { RequestPath } from './request-path.js';

/**
 * The plan's events at their virtual times: pod failures, recoveries and scaling.
 *
 * - fail: the pod dies at once, as a crashed process. Balancers see it unhealthy immediately
 *   (a readiness probe or outlier ejection, idealised), every request queued or in service on
 *   it fails as a reset, and client connections pinned to it (L4) close.
 * - recover: it rejoins empty, and cold when the plan has a slow start.
 * - scale to n: pods[0, n) are in rotation; a pod scaled in leaves the balancers' views at once
 *   but serves what it already holds (a graceful drain, as a terminating pod behind a Service),
 *   and its idle L4 connections close.
 */
export class SimControl {
  private i = 0;
  /** Time of the next event; Infinity when none is left. */
  nextAt: number;

  constructor(private readonly sim: RequestPath) {
    this.nextAt = sim.plan.events[0]?.atMs ?? Infinity;
  }

  /** Applies every event due at `t`. */
  apply(t: number): void {
    const events = this.sim.plan.events;
    while (this.i < events.length && events[this.i].atMs <= t) {
      const e = events[this.i++];
      if (e.type === 'scale') this.scale(e.to, t);
      else for (const name of e.pods) this.setPod(this.sim.pods.indexOf(name), e.type, t);
    }
    this.nextAt = this.i < events.length ? events[this.i].atMs : Infinity;
  }

  private setPod(p: number, type: 'fail' | 'recover', t: number): void {
    const pods = this.sim.pods;
    if (p < 0) return;
    if (type === 'recover') {
      if (pods.state[p] !== POD_FAILED) return;
      pods.state[p] = POD_UP;
      pods.joinedAt[p] = t;
      for (const b of this.sim.balancers) b.viewOf[p].healthy = true;
      return;
    }
    if (pods.state[p] !== POD_UP) return;
    pods.state[p] = POD_FAILED;
    for (const b of this.sim.balancers) b.viewOf[p].healthy = false;
    this.closeConnections(p);
    this.resetRequests(p);
  }

  private scale(to: number, t: number): void {
    const pods = this.sim.pods;
    for (let p = 0; p < pods.n; p++) {
      if (p < to && pods.state[p] === POD_OUT) {
        pods.state[p] = POD_UP;
        pods.joinedAt[p] = t;
        pods.everIn[p] = 1;
      } else if (p >= to && pods.state[p] !== POD_OUT) {
        pods.state[p] = POD_OUT;
        this.closeConnections(p);
      }
    }
    for (const b of this.sim.balancers) b.refresh(pods);
  }

  /** Client connections pinned to `p` close; each balancer's view of `p` loses them. */
  private closeConnections(p: number): void {
    const sim = this.sim;
    if (!sim.conns || !sim.l4) return;
    sim.conns.closeAllOn(p, (b) => sim.balancers[b].viewOf[p].inflight--);
  }

  /** Every request queued or in service on `p` fails as a reset; `p` is left empty. */
  private resetRequests(p: number): void {
    const sim = this.sim;
    const req = sim.req;
    const victims: number[] = [];
    for (let r = 0; r < req.used; r++) {
      const s = req.state[r];
      if ((s === REQ_QUEUED || s === REQ_SERVING) && req.pod[r] === p) victims.push(r);
    }
    const pods = sim.pods;
    pods.freeSlots[p] = pods.concurrency[p];
    pods.queueHead[p] = -1;
    pods.queueTail[p] = -1;
    for (const r of victims) {
      // A request in service keeps its slot until its departure event pops (then freed).
      const serving = req.state[r] === REQ_SERVING;
      if (serving) req.state[r] = REQ_ZOMBIE;
      sim.unview(r, p, false);
      sim.fail(r, FAIL_RESET, !serving);
    }
  }
}
