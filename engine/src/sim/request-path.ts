import type { Clock } from '../core/clock.js';
import { sample, type Distribution } from '../core/distribution.js';
import { seededRandom, type Random } from '../core/random.js';
import { ClientConnections } from './client-connections.js';
import { ConnectionPath } from './connection-path.js';
import { EventQueue } from './event-queue.js';
import { PodState } from './pod-state.js';
import { REQ_FREE, REQ_QUEUED, REQ_SERVING, REQ_ZOMBIE, RequestTable } from './request-table.js';
import { SimHashKeys } from './hash-keys.js';
import { SimBalancer, Spreader, streamSeed } from './sim-balancer.js';
import type { SimPlan } from './sim-plan.js';
import { FAIL_CONNECT, FAIL_TIMEOUT, FAILURES, SimRecorder } from './sim-recorder.js';

// Read once: inside a vm context (jest) every global lookup on a hot path is slow.
const { log } = Math;

/** A closed-model user whose request found no pod retries after this pause (no busy loop). */
const RETRY_MS = 1;

/**
 * The life of a request, and the state it lives in: arrive → (wait for a client connection) →
 * balancer pick → pod FIFO → service → response. Every piece of state is in typed arrays
 * (RequestTable, PodState, ClientConnections), so memory is bounded by the pods and the
 * requests in flight. The event loop that drives it is the Simulator (simulator.ts).
 *
 * Hot paths take only small integers: a double passed to a call V8 did not inline is boxed (an
 * allocation), so the current time is read from `now`, and latencies cross as integer µs.
 * Fields set in the constructor are `declare`d (here and in the classes the hot path reads): an
 * ES2022 field declared without a value is first defined as undefined, after which V8's
 * optimised code no longer knows it holds a typed array or a number and re-checks it on every
 * read (measured at about 100 instructions a request in all).
 * Features a run may not use are tested with `=== true` on boolean fields: V8 does not know a
 * field holds a boolean, and a bare `if (flag)` compiles to a full ToBoolean (about ten
 * instructions, several times per request). Rare branches live in methods of their own, so that
 * the common path stays small enough for V8 to inline whole.
 */
export abstract class RequestPath {
  /** The policies' clock: reads `now` (virtual ms). */
  readonly clock: Clock = { now: () => this.now };
  readonly queue = new EventQueue();
  declare readonly pods: PodState;
  readonly req = new RequestTable();
  readonly conns?: ClientConnections;
  declare readonly rec: SimRecorder;
  declare readonly balancers: SimBalancer[];
  declare readonly l4: boolean;
  /** Requests started so far, and of those not yet answered or failed. */
  started = 0;
  inflight = 0;
  /** Closed-model users started and not finished. */
  activeUsers = 0;
  /** Virtual time of the event being handled (ms). */
  now = 0;
  protected readonly pool?: ConnectionPath;
  protected readonly thinkTime?: Distribution;
  // Plan scalars copied to fields: read on every request.
  declare protected readonly durationMs: number;
  declare protected readonly maxRequests: number;
  declare private readonly timeoutMs: number;
  /** Whether the plan has a timeout: without one, latencies are not compared with Infinity. */
  declare private readonly timeouts: boolean;
  declare private readonly maxInflight: number;
  /** Slow-start window (0: none). */
  declare private readonly warmMs: number;
  declare private readonly service: Random;
  declare private readonly errors: Random;
  declare private readonly think: Random;
  declare private readonly spreader: Spreader;
  private readonly keys?: SimHashKeys;
  declare private readonly hasErrors: boolean;
  /** Closed model (requests carry a user), several balancers (requests carry one), a latency-aware policy. */
  declare private readonly closed: boolean;
  declare private readonly multi: boolean;
  declare private readonly observing: boolean;
  /**
   * Whether request states are kept (REQ_*): only a pod failure needs them, to find and reset
   * what the pod held; without failures the stores are skipped.
   */
  declare private readonly tracking: boolean;
  private readonly pickRequest = { key: undefined as string | undefined };

  constructor(readonly plan: SimPlan) {
    const s = plan.seed;
    this.service = seededRandom(streamSeed(s, 1));
    this.errors = seededRandom(streamSeed(s, 2));
    this.spreader = new Spreader(plan.balancers, plan.spread, seededRandom(streamSeed(s, 3)));
    if (plan.policy === 'consistent-hash') this.keys = new SimHashKeys(plan, seededRandom(streamSeed(s, 4)));
    this.think = seededRandom(streamSeed(s, 5));
    this.pods = new PodState(plan.pods, plan.initialPods);
    this.rec = new SimRecorder(this.pods, plan.thresholds.balance, plan.spec.expect !== undefined);
    this.balancers = Array.from({ length: plan.balancers }, (_, i) => new SimBalancer(plan, i, this.clock, this.pods));
    this.l4 = plan.mode === 'l4';
    if (plan.connections || this.l4) {
      this.conns = new ClientConnections(plan.connections?.maxConnections ?? 0);
      this.pool = new ConnectionPath(this, this.conns);
    }
    if (plan.load.model === 'closed') this.thinkTime = plan.load.thinkTime;
    this.hasErrors = plan.pods.some((p) => p.errorRate > 0);
    this.closed = plan.load.model === 'closed';
    this.multi = plan.balancers > 1;
    this.observing = this.balancers[0].observes;
    this.tracking = plan.events.some((e) => e.type === 'fail');
    this.durationMs = plan.durationMs;
    this.maxRequests = plan.maxRequests;
    this.timeoutMs = plan.timeoutMs;
    this.timeouts = plan.timeoutMs < Infinity;
    this.maxInflight = plan.maxInflight;
    this.warmMs = plan.slowStart?.durationMs ?? 0;
  }

  /** True once no request may be started now. */
  protected stopped(): boolean {
    return this.now >= this.durationMs || this.started >= this.maxRequests;
  }

  /** A new request from the client (user -1 in the open model). */
  protected arrive(user: number): void {
    if (user < 0 && this.inflight >= this.maxInflight) {
      this.rec.dropped++;
      return;
    }
    this.started++;
    this.inflight++;
    const req = this.req;
    const r = req.alloc();
    req.start[r] = this.now;
    // Fields a run does not use are not written (each store is a cache line touched).
    if (this.closed === true) req.user[r] = user;
    if (this.pool !== undefined) {
      req.conn[r] = -1;
      this.pool.acquire(r);
    } else this.dispatch(r, this.multi === true ? this.spreader.next() : 0);
  }

  /** The balancer instance for the next request or connection. */
  nextBalancer(): number {
    return this.spreader.next();
  }

  /** L4: balancer `b` picks a pod for the connection request `r` opens as client `client`; -1: none. */
  pickFor(b: number, client: number): number {
    if (this.keys !== undefined) this.pickRequest.key = this.keys.keyOf(client);
    return this.balancers[b].pick(this.pickRequest);
  }

  /** consistent-hash: the key of request `r`, from its client (its connection's, else its user). */
  private keyFor(r: number): void {
    const c = this.pool !== undefined ? this.req.conn[r] : -1;
    const client = c >= 0 ? this.conns!.client[c] : this.closed === true ? this.req.user[r] : -1;
    this.pickRequest.key = this.keys!.keyOf(client);
  }

  /** L7: balancer `b` places request `r`. */
  dispatch(r: number, b: number): void {
    if (this.keys !== undefined) this.keyFor(r);
    const p = this.balancers[b].place(this.pickRequest);
    if (p < 0) return this.fail(r, FAIL_CONNECT, true);
    this.forward(r, p, b);
  }

  /** Request `r` reaches pod `p` through balancer `b`: served at once or queued FIFO. */
  forward(r: number, p: number, b: number): void {
    const req = this.req;
    const pods = this.pods;
    if (this.multi === true) req.balancer[r] = b;
    req.pod[r] = p;
    if (this.observing === true) req.forwarded[r] = this.now;
    if (pods.freeSlots[p] > 0 && pods.queueHead[p] < 0) return this.serve(r, p);
    if (this.tracking === true) req.state[r] = REQ_QUEUED;
    req.next[r] = -1;
    const tail = pods.queueTail[p];
    if (tail < 0) pods.queueHead[p] = r;
    else req.next[tail] = r;
    pods.queueTail[p] = r;
  }

  /** Starts serving `r` on `p`, unless its client already gave up (then it is a timeout). */
  private serve(r: number, p: number): void {
    const req = this.req;
    const now = this.now;
    if (this.timeouts === true && now - req.start[r] > this.timeoutMs) return this.expire(r);
    const pods = this.pods;
    // An exponential draw written out as `sample` computes it (same draw, same double).
    const mean = pods.expMeanMs[p];
    let svc = (mean > 0 ? -mean * log(1 - this.service.next()) : sample(pods.dist[p], this.service)) * pods.slowness[p];
    if (this.warmMs > 0 && now - pods.joinedAt[p] < this.warmMs) svc *= this.coldFactor(p);
    req.service[r] = svc;
    if (this.tracking === true) req.state[r] = REQ_SERVING;
    pods.freeSlots[p]--;
    this.queue.push(now + svc, r << 1);
  }

  /** The client gave up on `r` before it was served. */
  private expire(r: number): void {
    this.unview(r, this.req.pod[r], false);
    this.fail(r, FAIL_TIMEOUT, true);
  }

  /** Service-time multiplier of a cold pod: `factor` when it joins, 1 after the slow-start window. */
  private coldFactor(p: number): number {
    const warm = this.plan.slowStart!;
    return warm.factor - ((warm.factor - 1) * (this.now - this.pods.joinedAt[p])) / warm.durationMs;
  }

  protected depart(r: number): void {
    const req = this.req;
    if (this.tracking === true && req.state[r] === REQ_ZOMBIE) return this.reap(r);
    const p = req.pod[r];
    const pods = this.pods;
    pods.freeSlots[p]++;
    const svc = req.service[r];
    pods.windowBusy[p] += svc;
    pods.windowBusySq[p] += svc * svc;
    // The pod takes its next request before this answer reaches the client (as the lab pod's
    // complete() pumps its queue): a closed user's next request queues behind the waiting ones.
    if (pods.queueHead[p] >= 0) {
      // Starts queued requests while `p` has free slots. Written here, not as a method of its
      // own: the call, on most departures, measured at about 90 instructions.
      const next = req.next;
      let q = pods.queueHead[p];
      while (q >= 0 && pods.freeSlots[p] > 0) {
        const after = next[q];
        pods.queueHead[p] = after;
        if (after < 0) pods.queueTail[p] = -1;
        this.serve(q, p);
        q = pods.queueHead[p];
      }
    }
    if (this.l4 === false) this.unview(r, p, true);
    const latency = this.now - req.start[r];
    if (this.timeouts === true && latency > this.timeoutMs) return this.fail(r, FAIL_TIMEOUT, true);
    // Integer microseconds: a small integer crosses calls unboxed.
    const us = (latency * 1000 + 0.5) | 0;
    this.rec.answered(p, us, this.hasErrors === true ? this.status(p) : 200);
    this.finish(r, true, false);
  }

  /** A departure of `r`, which already failed with its pod: only its slot was still held, by this event. */
  private reap(r: number): void {
    this.req.state[r] = REQ_FREE;
    this.req.release(r);
  }

  /** Status of a response from `p`, which answers errors at its error rate. */
  private status(p: number): number {
    return this.errors.next() < this.pods.errorRate[p] ? this.pods.errorStatus[p] : 200;
  }

  /** L7: the balancer that placed `r` on `p` forgets it (in-flight count) and, if `served`, hears its latency. */
  unview(r: number, p: number, served: boolean): void {
    if (this.l4 === true) return;
    const req = this.req;
    const bal = this.balancers[this.multi === true ? req.balancer[r] : 0];
    bal.viewOf[p].inflight--;
    if (served && bal.observes === true) bal.policy.observe!(this.pods.names[p], this.now - req.forwarded[r]);
  }

  /** `r` ends without a response (kind: FAIL_*); `release` false keeps its slot (a zombie). */
  fail(r: number, kind: number, release: boolean): void {
    this.rec.failed(FAILURES[kind]);
    this.finish(r, release, kind === FAIL_CONNECT);
  }

  /** Common end of every request: connection, user, slot. */
  private finish(r: number, release: boolean, retry: boolean): void {
    const req = this.req;
    const c = this.pool !== undefined ? req.conn[r] : -1;
    const u = this.closed === true ? req.user[r] : -1;
    this.inflight--;
    if (release) {
      if (this.tracking === true) req.state[r] = REQ_FREE;
      req.release(r);
    }
    if (c >= 0) this.pool!.release(c);
    if (u >= 0) this.next(u, retry);
  }

  /** User `u` got its answer: it thinks, retries after a pause, sends again, or stops. */
  private next(u: number, retry: boolean): void {
    if (this.stopped()) this.activeUsers--;
    else if (this.thinkTime) this.queue.push(this.now + sample(this.thinkTime, this.think), (u << 1) | 1);
    else if (retry) this.queue.push(this.now + RETRY_MS, (u << 1) | 1);
    else this.arrive(u);
  }
}
