import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ScaleError } from '../../core/errors.js';
import { MAX_FRAME_BYTES, parseMessage, type CoordinatorMessage, type WorkerMessage } from './protocol.js';

/** What a run's coordinator hears from one of its workers. */
export interface WorkerHandlers {
  /** Worker `index` connected and said hello (its socket is ready for the plan). */
  connected(index: number, send: (m: CoordinatorMessage) => void): void;
  message(index: number, m: WorkerMessage): void;
  /** The worker's connection closed (after `done`, or lost). */
  closed(index: number, reason: string): void;
}

interface Expected {
  token: string;
  workers: number;
  handlers: WorkerHandlers;
  connected: Set<number>;
}

/**
 * The coordinator's endpoint for load workers: one WebSocket server per engine, shared by the
 * distributed runs, each known by its id and a random token (a worker must present both, and
 * an index no other connected worker of the run has). Listens on `host:port` while distributed
 * runs need it (127.0.0.1 and a free port locally; 0.0.0.0:8001 in a cluster).
 */
export class WorkerHub {
  private server: WebSocketServer | undefined;
  private starting: Promise<void> | undefined;
  /** A close in progress: a start waits for it (the same port may be taken again). */
  private closing: Promise<void> = Promise.resolve();
  private readonly runs = new Map<string, Expected>();

  constructor(private readonly listen: { host: string; port: number } = { host: '127.0.0.1', port: 0 }) {}

  /** ws:// URL a local worker connects to (after `start`). */
  get localUrl(): string {
    const a = this.server?.address() as AddressInfo | undefined;
    if (!a) throw new ScaleError('engine_error', 'the worker hub is not listening');
    const host = this.listen.host === '0.0.0.0' || this.listen.host === '::' ? '127.0.0.1' : this.listen.host;
    return `ws://${host.includes(':') ? `[${host}]` : host}:${a.port}/`;
  }

  start(): Promise<void> {
    this.starting ??= this.closing.then(() => this.listenNow());
    return this.starting;
  }

  private listenNow(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const server = new WebSocketServer({ host: this.listen.host, port: this.listen.port, maxPayload: MAX_FRAME_BYTES });
      server.once('listening', () => {
        this.server = server;
        resolve();
      });
      server.once('error', (err) => {
        this.starting = undefined;
        reject(new ScaleError('engine_error', `the worker endpoint cannot listen on ${this.listen.host}:${this.listen.port}: ${err.message}`));
      });
      server.on('connection', (socket) => this.accept(socket));
    });
  }

  /**
   * Lets the workers of run `run` connect; returns the function that closes the run's door.
   * When the last run's door closes the hub stops listening (it starts again with the next run),
   * so an idle engine or CLI holds no socket for workers.
   */
  expect(run: string, token: string, workers: number, handlers: WorkerHandlers): () => void {
    this.runs.set(run, { token, workers, handlers, connected: new Set() });
    return () => {
      this.runs.delete(run);
      if (this.runs.size === 0) void this.close();
    };
  }

  /** Stops listening and drops every worker connection. */
  close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (!s) return this.closing;
    this.closing = new Promise<void>((resolve) => {
      for (const c of s.clients) c.terminate();
      s.close(() => resolve());
    });
    return this.closing;
  }

  private accept(socket: WebSocket): void {
    let index = -1;
    let run: Expected | undefined;
    // A connection that says nothing useful within 10 s is dropped.
    const timer = setTimeout(() => socket.terminate(), 10_000);
    const send = (m: CoordinatorMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
    };
    socket.on('message', (data) => {
      const m = parseMessage<WorkerMessage>(data, ['hello', 'window', 'done', 'failed']);
      if (!m) return;
      if (m.type === 'hello') {
        if (run) return;
        const r = this.runs.get(String(m.run));
        const why = !r
          ? `no distributed run ${String(m.run)} is waiting for workers`
          : !sameToken(r.token, String(m.token))
            ? 'wrong token'
            : !(Number.isInteger(m.index) && m.index >= 0 && m.index < r.workers)
              ? `index ${String(m.index)} is not one of 0..${r.workers - 1}`
              : r.connected.has(m.index)
                ? `worker ${m.index} is already connected`
                : undefined;
        if (why) {
          send({ type: 'refused', message: why });
          socket.close(1008, why.slice(0, 100));
          return;
        }
        clearTimeout(timer);
        run = r!;
        index = m.index;
        run.connected.add(index);
        run.handlers.connected(index, send);
        return;
      }
      if (run) run.handlers.message(index, m);
    });
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      if (!run) return;
      run.connected.delete(index);
      run.handlers.closed(index, reason.toString() || `connection closed (${code})`);
    });
    socket.on('error', () => socket.terminate());
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
