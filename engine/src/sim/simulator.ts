import { sample, type Distribution } from '../core/distribution.js';
import { seededRandom, type Random } from '../core/random.js';
import { userStartOffset, userSchedule } from '../load/user-schedule.js';
import { arrivalProcess, type ArrivalProcess } from './arrivals.js';
import { ClientConnections } from './client-connections.js';
import { EventQueue } from './event-queue.js';
import { POD_UP, PodState } from './pod-state.js';
import { REQ_QUEUED, REQ_SERVING, REQ_WAITING, RequestTable } from './request-table.js';
import { SimBalancer, streamSeed } from './sim-balancer.js';
import { SimControl } from './sim-control.js';
import type { SimPlan } from './sim-plan.js';
import { SimRecorder, type SimFailure } from './sim-recorder.js';
import { VirtualClock } from './virtual-clock.js';

/** A closed-model user whose request found no pod retries after this pause (no busy loop). */
const RETRY_MS = 1;
/** Timeline points after which windows double in length (see closeWindow). */
const MAX_TIMELINE = 20_000;

/**
 * The discrete-event loop. Four sources of events, merged by time: the event queue (request
 * departures and users waking from think time), the next open-model arrival or closed-model
 * user start (one variable, not queued: half the events never touch the heap), the next
 * timeline window end, and the next plan event (failure, recovery, scaling).
 *
 * Every request follows arrive → (wait for a connection) → balancer pick → pod FIFO → service →
 * response, and every piece of state lives in typed arrays (RequestTable, PodState,
 * ClientConnections), so memory is bounded by pods and requests in flight.
 */
export class Simulator {
  readonly clock = new VirtualClock();
  readonly queue = new EventQueue();
  readonly pods: PodState;
  readonly req = new RequestTable();
  readonly conns?: ClientConnections;
  readonly rec: SimRecorder;
  readonly balancers: SimBalancer[];
  readonly l4: boolean;
  /** Requests started, finished (answered or failed) and dropped so far. */
  started = 0;
  inflight = 0;
  activeUsers = 0;
  /** Loop iterations (events handled), for the events/s figure. */
  events = 0;
  /** True when maxRequests cut a run that was meant to stop by duration. */
  capped = false;
  private readonly control: SimControl;
  private readonly service: Random;
  private readonly errors: Random;
  private readonly spread: Random;
  private readonly keys: Random;
  private readonly think: Random;
  private readonly arrivals?: ArrivalProcess;
  private readonly thinkTime?: Distribution;
  private nextArrival = Infinity;
  private nextWindow: number;
  private windowStart = 0;
  private windowMs: number;
  private nextControl: number;
  // Plan scalars copied to fields: read on every request.
  private readonly durationMs: number;
  private readonly maxRequests: number;
  private readonly timeoutMs: number;
  private readonly maxInflight: number;
  /** Slow-start window (0: none). */
  private readonly warmMs: number;
  private spawned = 0;
  private readonly spawnCount: number;
  private cursor = 0;
  private readonly hashing: boolean;
  private readonly pick = { key: undefined as string | undefined };
  private readonly keyNames: string[] = [];

  constructor(readonly plan: SimPlan) {
    const s = plan.seed;
    this.service = seededRandom(streamSeed(s, 1));
    this.errors = seededRandom(streamSeed(s, 2));
    this.spread = seededRandom(streamSeed(s, 3));
    this.keys = seededRandom(streamSeed(s, 4));
    this.think = seededRandom(streamSeed(s, 5));
    this.pods = new PodState(plan.pods, plan.initialPods);
    this.rec = new SimRecorder(this.pods, plan.thresholds.balance);
    this.balancers = Array.from({ length: plan.balancers }, (_, i) => new SimBalancer(plan, i, this.clock, this.pods));
    this.l4 = plan.mode === 'l4';
    if (plan.connections || this.l4) this.conns = new ClientConnections(plan.connections?.maxConnections ?? 0);
    this.hashing = plan.policy === 'consistent-hash';
    this.durationMs = plan.durationMs;
    this.maxRequests = plan.maxRequests;
    this.timeoutMs = plan.timeoutMs;
    this.maxInflight = plan.maxInflight;
    this.warmMs = plan.slowStart?.durationMs ?? 0;
    this.windowMs = plan.windowMs;
    this.nextWindow = plan.windowMs;
    this.control = new SimControl(this);
    this.nextControl = Math.min(this.nextWindow, this.control.nextAt);
    if (plan.load.model === 'open') {
      this.arrivals = arrivalProcess(plan.load.arrivals, seededRandom(streamSeed(s, 0)));
      this.spawnCount = 0;
      this.nextArrival = this.arrivals.next();
    } else {
      this.thinkTime = plan.load.thinkTime;
      this.spawnCount = userSchedule({ users: plan.load.users, spawnRate: plan.load.spawnRate, durationMs: plan.durationMs }).count;
      this.nextArrival = this.spawnCount > 0 ? 0 : Infinity;
    }
    if (this.nextArrival >= plan.durationMs) this.nextArrival = Infinity;
  }

  /** Runs to the end: every request started has been answered or failed. Returns the end time (ms). */
  run(): number {
    const q = this.queue;
    const clock = this.clock;
    for (;;) {
      const tq = q.topTime;
      const ta = this.nextArrival;
      const t = tq <= ta ? tq : ta;
      if (t === Infinity) break;
      if (this.nextControl <= t) {
        this.controlAt(this.nextControl);
        continue;
      }
      clock.t = t;
      this.events++;
      if (tq <= ta) {
        const item = q.pop();
        if ((item & 1) === 0) this.depart(item >> 1, t);
        else this.wake(item >> 1, t);
      } else if (this.arrivals !== undefined) this.arriveOpen(t);
      else this.spawn(t);
    }
    const end = Math.max(clock.t, this.durationMs < Infinity ? this.durationMs : 0);
    while (this.nextWindow <= end) this.closeWindow();
    if (end > this.windowStart) this.rec.closeWindow(end, this.inflight, this.activeUsers);
    return end;
  }

  /** A window end or a plan event (failure, recovery, scaling) at `t`. */
  private controlAt(t: number): void {
    this.clock.t = t;
    if (t === this.nextWindow) this.closeWindow();
    else this.control.apply(t);
    this.nextControl = Math.min(this.nextWindow, this.control.nextAt);
  }

  private closeWindow(): void {
    const t = this.nextWindow;
    this.rec.closeWindow(t, this.inflight, this.activeUsers);
    this.windowStart = t;
    // A run far longer than planned (a closed model without a duration) must not grow the
    // timeline without bound: past MAX_TIMELINE points, windows double in length.
    if (this.rec.timeline.length % MAX_TIMELINE === 0) this.windowMs *= 2;
    this.nextWindow = t + this.windowMs;
  }

  private arriveOpen(t: number): void {
    this.arrive(t, -1);
    const next = this.arrivals!.next();
    if (next < this.durationMs && this.started < this.maxRequests) this.nextArrival = next;
    else {
      this.nextArrival = Infinity;
      this.capped = next < this.durationMs && this.durationMs < Infinity;
    }
  }

  /** True once no request may be started at `t`. */
  private stopped(t: number): boolean {
    return t >= this.durationMs || this.started >= this.maxRequests;
  }

  private spawn(t: number): void {
    const k = this.spawned++;
    const load = this.plan.load;
    const rate = load.model === 'closed' ? load.spawnRate : 1;
    this.nextArrival = this.spawned < this.spawnCount ? userStartOffset(this.spawned, rate) : Infinity;
    if (this.stopped(t)) return;
    this.activeUsers++;
    this.arrive(t, k);
  }

  /** A closed-model user's think time is over (or its retry pause). */
  private wake(u: number, t: number): void {
    if (this.stopped(t)) {
      this.activeUsers--;
      return;
    }
    this.arrive(t, u);
  }

  /** A new request from the client (user -1 in the open model). */
  arrive(t: number, user: number): void {
    if (user < 0 && this.inflight >= this.maxInflight) {
      this.rec.dropped++;
      return;
    }
    this.started++;
    this.inflight++;
    const req = this.req;
    const r = req.alloc();
    req.start[r] = t;
    req.user[r] = user;
    req.conn[r] = -1;
    req.state[r] = REQ_WAITING;
    if (this.conns) this.acquire(r, t);
    else this.dispatch(r, t, this.nextBalancer());
  }

  private nextBalancer(): number {
    const n = this.balancers.length;
    if (n === 1) return 0;
    if (this.plan.spread === 'random') return Math.floor(this.spread.next() * n);
    const b = this.cursor;
    this.cursor = b + 1 === n ? 0 : b + 1;
    return b;
  }

  /** The consistent-hash key of request `r`: its user, else one of `hashKeys` clients at random. */
  private keyOf(r: number): string {
    const u = this.req.user[r];
    const k = u >= 0 ? u : Math.floor(this.keys.next() * this.plan.hashKeys);
    while (this.keyNames.length <= k) this.keyNames.push(`client-${this.keyNames.length}`);
    return this.keyNames[k];
  }

  /** L7: balancer `b` places request `r`. */
  private dispatch(r: number, t: number, b: number): void {
    const bal = this.balancers[b];
    if (this.hashing) this.pick.key = this.keyOf(r);
    const p = bal.pick(this.pick);
    if (p < 0) return this.fail(r, t, 'connect');
    const req = this.req;
    if (!this.l4) bal.viewOf[p].inflight++;
    req.balancer[r] = b;
    req.pod[r] = p;
    req.forwarded[r] = t;
    this.enqueue(r, p, t);
  }

  private enqueue(r: number, p: number, t: number): void {
    const pods = this.pods;
    const req = this.req;
    if (pods.inService[p] < pods.concurrency[p] && pods.queued[p] === 0) {
      this.serve(r, p, t);
      return;
    }
    req.state[r] = REQ_QUEUED;
    req.next[r] = -1;
    const tail = pods.queueTail[p];
    if (tail < 0) pods.queueHead[p] = r;
    else req.next[tail] = r;
    pods.queueTail[p] = r;
    pods.queued[p]++;
  }

  /** Starts serving `r` on `p`, unless its client already gave up (then it is a timeout). */
  private serve(r: number, p: number, t: number): void {
    const req = this.req;
    if (t - req.start[r] > this.timeoutMs) return this.expire(r, t);
    const pods = this.pods;
    let svc = sample(pods.dist[p], this.service) * pods.slowness[p];
    if (t - pods.joinedAt[p] < this.warmMs) svc *= this.coldFactor(p, t);
    req.service[r] = svc;
    req.state[r] = REQ_SERVING;
    pods.inService[p]++;
    this.queue.push(t + svc, r << 1);
  }

  /** The client gave up on `r` before it was served. */
  private expire(r: number, t: number): void {
    this.unview(r);
    this.fail(r, t, 'timeout');
  }

  /** Service-time multiplier of a cold pod: `factor` when it joins, 1 after the slow-start window. */
  private coldFactor(p: number, t: number): number {
    const warm = this.plan.slowStart!;
    return warm.factor - ((warm.factor - 1) * (t - this.pods.joinedAt[p])) / warm.durationMs;
  }

  private depart(r: number, t: number): void {
    const req = this.req;
    if (req.state[r] !== REQ_SERVING) {
      // A zombie: it failed with its pod; only its slot was still held by this event.
      req.release(r);
      return;
    }
    const p = req.pod[r];
    const pods = this.pods;
    const svc = req.service[r];
    pods.inService[p]--;
    pods.windowBusy[p] += svc;
    // The pod takes its next request before this answer reaches the client (as the lab pod's
    // complete() pumps its queue): a closed user's next request queues behind the waiting ones.
    if (pods.queued[p] > 0) this.pump(p, t);
    if (!this.l4) this.unview(r);
    const latency = t - req.start[r];
    if (latency > this.timeoutMs) return this.fail(r, t, 'timeout');
    const rate = pods.errorRate[p];
    if (rate > 0 && this.errors.next() < rate) this.rec.answered(p, latency, pods.errorStatus[p]);
    else this.rec.answered(p, latency, 200);
    this.finish(r, t, true);
  }

  /** Starts queued requests while `p` has free slots. */
  pump(p: number, t: number): void {
    const pods = this.pods;
    const next = this.req.next;
    while (pods.queued[p] > 0 && pods.inService[p] < pods.concurrency[p]) {
      const r = pods.queueHead[p];
      pods.queueHead[p] = next[r];
      if (--pods.queued[p] === 0) pods.queueTail[p] = -1;
      this.serve(r, p, t);
    }
  }

  /** The balancer that placed `r` forgets it (L7 in-flight count) and hears its latency. */
  unview(r: number): void {
    if (this.l4) return;
    const req = this.req;
    const bal = this.balancers[req.balancer[r]];
    const p = req.pod[r];
    bal.viewOf[p].inflight--;
    if (bal.observes && req.state[r] === REQ_SERVING) bal.policy.observe?.(this.pods.names[p], this.clock.t - req.forwarded[r]);
  }

  /** `r` ends without a response. */
  fail(r: number, t: number, kind: SimFailure, release = true): void {
    this.rec.failed(kind);
    this.finish(r, t, release, kind === 'connect');
  }

  /** Common end of every request: connection, user, slot. */
  private finish(r: number, t: number, release: boolean, retry = false): void {
    const req = this.req;
    const c = req.conn[r];
    const u = req.user[r];
    this.inflight--;
    if (release) req.release(r);
    if (c >= 0) this.releaseConn(c, t);
    if (u >= 0) {
      if (this.stopped(t)) this.activeUsers--;
      else if (this.thinkTime) this.queue.push(t + sample(this.thinkTime, this.think), (u << 1) | 1);
      else if (retry) this.queue.push(t + RETRY_MS, (u << 1) | 1);
      else this.arrive(t, u);
    }
  }

  // ----- client connections (load generator pool) -----

  private acquire(r: number, t: number): void {
    const conns = this.conns!;
    let c = conns.takeIdle();
    if (c < 0) {
      if (!conns.canOpen()) {
        this.req.state[r] = REQ_WAITING;
        conns.enqueue(r, this.req.next);
        return;
      }
      const b = this.nextBalancer();
      let p = -1;
      if (this.l4) {
        if (this.hashing) this.pick.key = this.keyOf(r);
        p = this.balancers[b].pick(this.pick);
        if (p < 0) return this.fail(r, t, 'connect');
        this.balancers[b].viewOf[p].inflight++;
      }
      c = conns.openConn(p, b);
    }
    this.send(r, c, t);
  }

  private send(r: number, c: number, t: number): void {
    const conns = this.conns!;
    const req = this.req;
    req.conn[r] = c;
    conns.uses[c]++;
    if (!this.l4) return this.dispatch(r, t, conns.balancer[c]);
    const p = conns.pod[c];
    req.balancer[r] = conns.balancer[c];
    req.pod[r] = p;
    req.forwarded[r] = t;
    this.enqueue(r, p, t);
  }

  private releaseConn(c: number, t: number): void {
    const conns = this.conns!;
    const cfg = this.plan.connections;
    if (conns.open[c] === 0) conns.retire(c);
    else if (
      (cfg !== undefined && (!cfg.keepAlive || (cfg.requestsPerConnection > 0 && conns.uses[c] >= cfg.requestsPerConnection))) ||
      (this.l4 && this.pods.state[conns.pod[c]] !== POD_UP)
    ) {
      if (this.l4) this.balancers[conns.balancer[c]].viewOf[conns.pod[c]].inflight--;
      conns.close(c, false);
    }
    const w = conns.dequeue(this.req.next);
    if (w < 0) {
      if (conns.open[c] === 1) conns.pushIdle(c);
    } else if (conns.open[c] === 1) this.send(w, c, t);
    else this.acquire(w, t);
  }
}
