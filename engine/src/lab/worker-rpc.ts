import { parentPort, type Worker } from 'node:worker_threads';
import { ScaleError, type ErrorCode } from '../core/errors.js';
import { startWorker } from './start-worker.js';

/**
 * A minimal request/reply protocol over a worker's message port, shared by the pod and proxy
 * workers: the controller calls `op(arg)` and awaits the reply; the worker may also push events.
 * Errors cross the thread boundary as `{ code, message }` and become ScaleErrors again.
 */
type Reply =
  | { kind: 'ready'; value: unknown }
  | { kind: 'fatal'; error: WireError }
  | { kind: 'reply'; id: number; value: unknown }
  | { kind: 'fail'; id: number; error: WireError }
  | { kind: 'event'; event: unknown };
interface WireError {
  code: ErrorCode;
  message: string;
}
interface Call {
  id: number;
  op: string;
  arg: unknown;
}

/** Controller side of one worker. */
export class WorkerChannel {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.on('exit', () => {
      this.exited = true;
      this.failAll(new ScaleError('engine_error', 'lab worker exited'));
    });
  }

  /**
   * Starts `entry` (through startWorker) and resolves with the channel and the worker's `ready`
   * value once it has set itself up; rejects if it fails or exits first. `onEvent` receives
   * every event the worker pushes afterwards.
   */
  static async open(
    entry: URL,
    workerData: unknown,
    onEvent: (event: unknown) => void = () => {},
  ): Promise<{ channel: WorkerChannel; ready: unknown }> {
    const worker = startWorker(entry, workerData);
    const channel = new WorkerChannel(worker);
    try {
      const ready = await new Promise<unknown>((resolve, reject) => {
        worker.on('error', (e) => reject(new ScaleError('engine_error', `lab worker failed: ${e.message}`)));
        worker.on('exit', (code) => reject(new ScaleError('engine_error', `lab worker exited (${code}) before ready`)));
        worker.on('message', (m: Reply) => channel.receive(m, resolve, reject, onEvent));
      });
      return { channel, ready };
    } catch (err) {
      // A worker that reported a fatal error (or failed to load) may still hold sockets and
      // timers: nobody will talk to it again, so it is ended here.
      await channel.terminate().catch(() => undefined);
      throw err;
    }
  }

  /** True once the worker thread has ended (terminated or crashed). */
  get closed(): boolean {
    return this.exited;
  }

  /** Sends `op(arg)` to the worker; resolves with its reply value. */
  call<T = unknown>(op: string, arg?: unknown): Promise<T> {
    if (this.exited) return Promise.reject(new ScaleError('engine_error', 'lab worker has exited'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, arg } satisfies Call);
    });
  }

  /** Stops the worker thread; its sockets and timers go with it. Safe to call twice. */
  async terminate(): Promise<void> {
    if (this.exited) return;
    await this.worker.terminate();
    this.exited = true;
  }

  private receive(
    m: Reply,
    ready: (v: unknown) => void,
    fatal: (e: Error) => void,
    onEvent: (event: unknown) => void,
  ): void {
    switch (m.kind) {
      case 'ready':
        return ready(m.value);
      case 'fatal':
        return fatal(toError(m.error));
      case 'event':
        return onEvent(m.event);
      default: {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.kind === 'reply') p.resolve(m.value);
        else p.reject(toError(m.error));
      }
    }
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

/** Handlers a worker exposes, by op name. */
export type RpcHandlers = Record<string, (arg: never) => unknown>;

/**
 * Worker side: runs `setup`, reports `ready` with its result (or `fatal`), then answers calls
 * with the handlers it returned.
 */
export function serveWorker(setup: () => Promise<{ ready: unknown; handlers: RpcHandlers }>): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorker must run inside a worker thread');
  setup().then(
    ({ ready, handlers }) => {
      port.on('message', (c: Call) => {
        const h = handlers[c.op] as ((arg: unknown) => unknown) | undefined;
        Promise.resolve()
          .then(() => {
            if (!h) throw new ScaleError('engine_error', `unknown lab worker op "${c.op}"`);
            return h(c.arg);
          })
          .then(
            (value) => port.postMessage({ kind: 'reply', id: c.id, value } satisfies Reply),
            (e: unknown) => port.postMessage({ kind: 'fail', id: c.id, error: toWire(e) } satisfies Reply),
          );
      });
      port.postMessage({ kind: 'ready', value: ready } satisfies Reply);
    },
    (e: unknown) => port.postMessage({ kind: 'fatal', error: toWire(e) } satisfies Reply),
  );
}

/** Worker side: pushes an event to the controller. */
export function postEvent(event: unknown): void {
  parentPort?.postMessage({ kind: 'event', event } satisfies Reply);
}

function toWire(e: unknown): WireError {
  if (e instanceof ScaleError) return { code: e.code, message: e.message };
  return { code: 'engine_error', message: e instanceof Error ? e.message : String(e) };
}

function toError(w: WireError): ScaleError {
  return new ScaleError(w.code, w.message);
}
