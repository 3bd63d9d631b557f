import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ScaleError } from '../core/errors.js';
import { sample } from '../core/distribution.js';
import type { Random } from '../core/random.js';
import { warmupFactor, type PodBehaviour } from '../spec/pod-behaviour.js';
import { POD_SLOT } from './counters.js';
import { parseOverrides, pickWeighted } from './overrides.js';
import { noPodFaults, SLICE_MS, type PodFaults } from './pod-faults.js';

/** The response header naming the pod that served a request (the load generator reads it). */
export const POD_HEADER = 'x-scale-pod';
/** Health-probe path: answered at once, outside the queue. */
export const HEALTH_PATH = '/healthz';

/** One request's plan, fixed on arrival. */
interface Job {
  res: ServerResponse;
  delayMs: number;
  status: number;
  bytes: number;
}

export interface PodServerOptions {
  name: string;
  behaviour: PodBehaviour;
  random: Random;
  /** Shared counters (POD_SLOT layout) the controller reads. */
  counters: Float64Array;
  /** The first start is warm (default; a pod of the lab's first start), else cold; restarts are always cold. */
  warm?: boolean;
  /** Monotonic ms, for the warm-up. Default performance.now. */
  now?: () => number;
  /** Listen address. Default 127.0.0.1 (the lab); the demo backend image listens on 0.0.0.0. */
  host?: string;
  /** Port of the first start. Default 0 (ephemeral). */
  port?: number;
  /** Header naming the pod on every response. Default POD_HEADER; empty: none (a backend that cannot add one). */
  podHeader?: string;
  /**
   * Answers paths of its own (the demo backend's fault endpoint and metrics) before the pod's
   * behaviour applies; returns true when it took the request.
   */
  control?: (path: string, req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * One lab pod: a node:http server on 127.0.0.1 whose service time, concurrency, errors and body
 * size follow a PodBehaviour. Work is simulated with timers, not CPU, so many pods share two
 * cores. Requests beyond `concurrency` wait in a FIFO queue, so overload shows as latency, as
 * in a real server with a bounded worker pool. Runs inside its own worker thread (pod-worker.ts).
 */
export class PodServer {
  private server: Server | undefined;
  private port = 0;
  private behaviour: PodBehaviour;
  private readonly random: Random;
  private readonly c: Float64Array;
  private readonly name: string;
  /** FIFO of waiting jobs; `head` avoids O(n) shifts. */
  private queue: Job[] = [];
  private head = 0;
  private inService = 0;
  private body = Buffer.alloc(0);
  private faults: PodFaults = {};
  /** False while no fault is set, so the hot path pays one branch for the fault layer. */
  private faulty = false;
  /** When the pod last started cold (monotonic ms); -Infinity while warm. */
  private coldSince: number;
  /** The next start is warm (set for the first start of a lab's initial pods). */
  private warmOnce: boolean;
  private readonly now: () => number;
  private readonly host: string;
  private readonly header: string;
  private readonly control: PodServerOptions['control'];

  constructor(options: PodServerOptions) {
    this.name = options.name;
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.header = options.podHeader ?? POD_HEADER;
    this.control = options.control;
    this.behaviour = options.behaviour;
    this.random = options.random;
    this.c = options.counters;
    this.c[POD_SLOT.concurrency] = this.behaviour.concurrency;
    this.now = options.now ?? (() => performance.now());
    this.coldSince = -Infinity;
    this.warmOnce = options.warm !== false;
  }

  /**
   * Listens on its host (127.0.0.1 by default): on an ephemeral port the first time, then always on that same port so
   * that the proxy's connection pool to it works again. Resolves with the port.
   */
  async start(): Promise<number> {
    if (this.server) return this.port;
    const server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new ScaleError('conflict', `pod ${this.name}: cannot listen on ${this.host}:${this.port} (${e.code ?? e.message})`)),
      );
      server.listen(this.port, this.host, () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.port;
    this.server = server;
    this.coldSince = this.warmOnce ? -Infinity : this.now();
    this.warmOnce = false;
    this.c[POD_SLOT.up] = 1;
    return this.port;
  }

  /** Closes the listener and destroys every connection: clients get refused/reset, as a crash. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.c[POD_SLOT.up] = 0;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    // Queued requests died with their connections; in-service timers still finish (and count
    // their busy time) but find their response destroyed.
    this.queue = [];
    this.head = 0;
    this.c[POD_SLOT.queued] = 0;
    await closed;
  }

  /** Changes behaviour for requests that arrive from now on (and lets queued ones in if the limit grew). */
  setBehaviour(partial: Partial<PodBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...partial };
    this.c[POD_SLOT.concurrency] = this.behaviour.concurrency;
    this.pump();
  }

  /** Replaces the pod's faults (pod-faults.ts); applies to requests arriving from now on. */
  setFaults(faults: PodFaults): void {
    this.faults = faults;
    this.faulty = !noPodFaults(faults);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    // Control paths read their body; everything else drains it so keep-alive works.
    if (this.control?.(path, req, res)) return;
    req.resume();
    if (path === HEALTH_PATH) {
      res.writeHead(200, [...this.podHeaders(), 'content-type', 'text/plain', 'content-length', '3']);
      res.end('ok\n');
      return;
    }
    const b = this.behaviour;
    const u = this.random.next();
    const job: Job = {
      res,
      delayMs: 0,
      status: u < b.errorRate ? b.errorStatus : 200,
      bytes: b.responseBytes,
    };
    let delay: number | undefined;
    if (q >= 0) {
      const o = parseOverrides(url.slice(q + 1));
      if (typeof o === 'string') return this.reply(res, 400, `bad override: ${o}\n`);
      job.status = pickWeighted(o.status, this.random.next()) ?? job.status;
      job.bytes = pickWeighted(o.size, this.random.next()) ?? job.bytes;
      delay = pickWeighted(o.delay, this.random.next());
    }
    // An explicit ?delay= is what the caller asked for; only the pod's own service time warms up.
    job.delayMs = delay ?? sample(b.latency, this.random) * (b.warmup && this.coldSince > -Infinity ? warmupFactor(b.warmup, this.now() - this.coldSince) : 1);
    if (this.faulty && this.injectFaults(req, res, job)) return;
    this.admit(job);
  }

  /** Serves `job` now if a slot is free and nobody waits, else queues it (FIFO). */
  private admit(job: Job): void {
    if (this.inService < this.behaviour.concurrency && this.head === this.queue.length) this.serve(job);
    else {
      this.queue.push(job);
      this.c[POD_SLOT.queued] = this.queue.length - this.head;
    }
  }

  /**
   * Applies the fault layer to one request; true when the fault took it over. Order as in
   * Envoy's fault filter: a reset ends the connection at once; otherwise the delay comes
   * first, then the abort answers without the service being called.
   */
  private injectFaults(req: IncomingMessage, res: ServerResponse, job: Job): boolean {
    const f = this.faults;
    if (f.resetRate && this.random.next() < f.resetRate) {
      this.c[POD_SLOT.resets]++;
      req.socket.resetAndDestroy();
      return true;
    }
    const abort = f.abort && this.random.next() < f.abort.rate ? f.abort.status : 0;
    const extra = f.delay && this.random.next() < f.delay.fraction ? sample(f.delay.latency, this.random) : 0;
    if (abort === 0 && extra <= 0) return false;
    const go = (): void => {
      if (res.destroyed) return;
      if (abort !== 0) this.reply(res, abort, `fault injected: ${abort}\n`);
      else this.admit(job);
    };
    if (extra > 0) setTimeout(go, extra);
    else go();
    return true;
  }

  /** Starts a job. A zero delay answers at once and never holds a slot (no timer tick added). */
  private serve(job: Job): void {
    if (job.delayMs <= 0) return this.finish(job);
    this.inService++;
    this.c[POD_SLOT.inService] = this.inService;
    setTimeout(this.complete, job.delayMs, job);
  }

  private readonly complete = (job: Job): void => {
    this.inService--;
    this.c[POD_SLOT.inService] = this.inService;
    // The service time the pod drew, not the time its timer took: on a loaded host a stalled
    // worker thread fires late, and that lateness is the machine's, not work the balancer sent.
    const served = job.delayMs;
    this.c[POD_SLOT.busyMs] += served;
    this.c[POD_SLOT.busySqMs] += served * served;
    this.finish(job);
    this.pump();
  };

  /** Lets waiting jobs in while slots are free; bounded by the queue length. */
  private pump(): void {
    const limit = this.behaviour.concurrency;
    while (this.inService < limit && this.head < this.queue.length) {
      const job = this.queue[this.head++];
      if (!job.res.destroyed) this.serve(job);
    }
    if (this.head > 0 && this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.c[POD_SLOT.queued] = this.queue.length - this.head;
  }

  private finish(job: Job): void {
    if (job.res.destroyed) return;
    if (this.body.length < job.bytes) this.body = Buffer.alloc(job.bytes, 'x');
    const body = this.body.subarray(0, job.bytes);
    const bps = this.faults.bytesPerSecond;
    if (bps !== undefined && body.length > 0) this.replySlowly(job.res, job.status, body, bps);
    else this.reply(job.res, job.status, body);
  }

  private reply(res: ServerResponse, status: number, body: Buffer | string): void {
    this.writeHead(res, status, Buffer.byteLength(body));
    res.end(body);
  }

  /**
   * Sends the body in slices paced to `bps` bytes per second (headers go at once): each slice
   * leaves after its own transfer time, so the whole body takes about bytes / bps seconds.
   */
  private replySlowly(res: ServerResponse, status: number, body: Buffer, bps: number): void {
    this.writeHead(res, status, body.length);
    const slice = Math.max(1, Math.round((bps * SLICE_MS) / 1000));
    const waitMs = (slice / bps) * 1000;
    // The shared body buffer may grow (and be replaced) meanwhile: send from a stable copy.
    const data = Buffer.from(body);
    let offset = 0;
    const step = (): void => {
      if (res.destroyed) return;
      const end = Math.min(offset + slice, data.length);
      const part = data.subarray(offset, end);
      offset = end;
      if (end >= data.length) res.end(part);
      else {
        res.write(part);
        setTimeout(step, waitMs);
      }
    };
    setTimeout(step, waitMs);
  }

  private writeHead(res: ServerResponse, status: number, length: number): void {
    this.c[POD_SLOT.served]++;
    if (status >= 400) this.c[POD_SLOT.errors]++;
    res.writeHead(status, [...this.podHeaders(), 'content-type', 'text/plain', 'content-length', String(length)]);
  }

  private podHeaders(): string[] {
    return this.header ? [this.header, this.name] : [];
  }

  /** The faults in force (the demo backend's fault endpoint reports them). */
  get currentFaults(): PodFaults {
    return this.faults;
  }
}
