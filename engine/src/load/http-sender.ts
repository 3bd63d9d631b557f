import type { Dispatcher } from 'undici';
import type { Clock } from '../core/clock.js';
import { ConnectionSet, type ConnectionSlot } from './connection-set.js';
import { classifyError, LoadTimeoutError } from './error-kind.js';
import type { ResolvedLoadOptions } from './load-options.js';
import { NO_POD, UNKNOWN_POD } from './load-report.js';
import type { Recorder } from './recorder.js';

/** Told when a request has finished (answered or failed), so a closed-model user can go on. */
export interface SettleListener {
  settled(user: number, nowMs: number): void;
}

/** How requests map to virtual clients (core/client-address.ts). */
export interface ClientPlan {
  /** Closed model with no more users than connections: user `u` always sends on connection `u`. */
  pinned: boolean;
  /** Source address of connection `i` (pinned: of user `i`); undefined: the OS picks one. */
  addressOf?: (conn: number) => string;
}

/**
 * State of one outstanding request, and the undici handler for it. Handlers are pooled and
 * reused, so the hot path allocates no closures and no per-request objects of ours. It uses
 * undici's core (legacy) handler hooks: dispatch hands them to the connection as they are, with
 * the raw header Buffers, whereas the newer controller hooks go through a wrapper that parses
 * every header into an object (undici lib/handler/unwrap-handler.js).
 */
class RequestHandler implements ConnectionSlot {
  conn = -1;
  seq = 0;
  active = false;
  /** Outlived timeoutMs: abort as soon as undici hands us the abort function. */
  expired = false;
  /** Latency origin: the scheduled send time (open model) or the actual send (closed). */
  startMs = 0;
  /** Actual dispatch time, for the timeout. */
  sentMs = 0;
  user = -1;
  status = 0;
  pod: string | undefined = undefined;
  abort: ((err?: Error) => void) | null = null;

  constructor(private readonly sender: HttpSender) {}

  onConnect(abort: (err?: Error) => void): void {
    if (this.expired) abort(this.sender.timeoutError);
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode;
    this.pod = this.sender.podOf(rawHeaders);
    return true;
  }

  /** The body is read and dropped: the connection must be drained to be reused. */
  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.sender.complete(this);
  }

  onError(err: Error): void {
    this.sender.fail(this, err);
  }
}

/**
 * Sends requests over a ConnectionSet (maxConnections undici Clients, pipelining 1) and records
 * each outcome. keepAlive=false sets `reset: true`, so undici sends `connection: close` and
 * opens a fresh connection per request; requestsPerConnection maps to undici's
 * `maxRequestsPerClient`.
 */
export class HttpSender {
  /** Requests dispatched and not yet settled. */
  inflight = 0;
  readonly timeoutError: LoadTimeoutError;
  private readonly connections: ConnectionSet;
  private readonly dispatchOptions: Dispatcher.DispatchOptions;
  private readonly free: RequestHandler[] = [];
  private readonly handlers: RequestHandler[] = [];
  private readonly podHeader: Buffer;
  private readonly pinned: boolean;
  private destroyed = false;

  constructor(
    private readonly options: ResolvedLoadOptions,
    private readonly recorder: Recorder,
    private readonly clock: Clock,
    private readonly listener: SettleListener,
    clients: ClientPlan = { pinned: false },
  ) {
    const o = options;
    this.pinned = clients.pinned;
    this.connections = new ConnectionSet(
      o.origin,
      {
        pipelining: 1,
        maxRequestsPerClient: o.requestsPerConnection > 0 ? o.requestsPerConnection : undefined,
        headersTimeout: o.timeoutMs,
        bodyTimeout: o.timeoutMs,
        connectTimeout: o.timeoutMs,
      },
      o.maxConnections,
      clients.addressOf,
    );
    // One options object for every request: undici copies what it needs into its own Request.
    this.dispatchOptions = { origin: o.origin, path: o.path, method: o.method as Dispatcher.HttpMethod, headers: o.headers };
    // Only ever `true`: an explicit false would override undici's own reasons to close.
    if (!o.keepAlive) this.dispatchOptions.reset = true;
    this.podHeader = Buffer.from(o.podHeader, 'latin1');
    // Shared: its stack is never looked at, and creating one per timeout would cost a trace.
    this.timeoutError = new LoadTimeoutError(o.timeoutMs);
  }

  /** Dispatches one request; `startMs` is where its latency is measured from. */
  send(startMs: number, sentMs: number, user: number): void {
    const h = this.free.pop() ?? this.newHandler();
    h.active = true;
    h.expired = false;
    h.abort = null;
    h.status = 0;
    h.pod = undefined;
    h.startMs = startMs;
    h.sentMs = sentMs;
    h.user = user;
    h.seq++;
    this.inflight++;
    if (this.pinned && user >= 0) this.connections.dispatchPinned(user, this.dispatchOptions, h);
    else this.connections.dispatch(this.dispatchOptions, h);
  }

  /** @internal called by the handler */
  complete(h: RequestHandler): void {
    if (!h.active) return;
    const now = this.clock.now();
    const us = Math.round((now - h.startMs) * 1000);
    this.recorder.response(h.pod ?? UNKNOWN_POD, h.status, us > 0 ? us : 0);
    this.release(h, now);
  }

  /** @internal called by the handler */
  fail(h: RequestHandler, err: Error): void {
    if (!h.active) return;
    const kind = h.expired || this.destroyed ? 'timeout' : classifyError(err);
    this.recorder.failure(kind, h.status > 0 ? (h.pod ?? UNKNOWN_POD) : NO_POD);
    this.release(h, this.clock.now());
  }

  /** @internal The pod named in the response headers, undefined when absent. */
  podOf(raw: Buffer[]): string | undefined {
    const name = this.podHeader;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const key = raw[i];
      if (key.length === name.length && equalsLowerAscii(key, name)) return raw[i + 1].toString('latin1');
    }
    return undefined;
  }

  /**
   * Fails every request dispatched more than timeoutMs ago; one sweep replaces a timer per
   * request. A request still waiting for a connection fails at once; one on a connection is
   * aborted, or, if undici has not handed over its abort function yet, marked and aborted the
   * moment it does (onConnect).
   */
  sweep(nowMs: number): void {
    const limit = nowMs - this.options.timeoutMs;
    for (const h of this.handlers) {
      if (h.active && !h.expired && h.sentMs <= limit) {
        h.expired = true;
        if (h.conn === -1) this.fail(h, this.timeoutError);
        else h.abort?.(this.timeoutError);
      }
    }
  }

  /** Closes the connections gracefully (after the drain, nothing is in flight). */
  async close(): Promise<void> {
    await this.connections.close();
  }

  /**
   * Ends every connection now. Requests still outstanding (the drain deadline has passed) are
   * counted as timeouts.
   */
  async destroy(): Promise<void> {
    this.destroyed = true;
    const destroying = this.connections.destroy();
    const now = this.clock.now();
    for (const h of this.handlers) {
      if (h.active) {
        this.recorder.failure('timeout', h.status > 0 ? (h.pod ?? UNKNOWN_POD) : NO_POD);
        this.release(h, now);
      }
    }
    await destroying;
  }

  private release(h: RequestHandler, now: number): void {
    h.active = false;
    h.abort = null;
    this.inflight--;
    this.free.push(h);
    // The connection first, so that a closed-model user's next request finds it idle.
    if (h.conn >= 0) {
      // A pinned connection is its user's alone: nobody waits for it.
      if (!this.pinned) this.connections.release(h.conn, this.dispatchOptions);
    } else h.seq++; // given up while waiting: its queue entry is now stale
    h.conn = -1;
    this.listener.settled(h.user, now);
  }

  private newHandler(): RequestHandler {
    const h = new RequestHandler(this);
    this.handlers.push(h);
    return h;
  }
}

/** Header names arrive in any case; `lower` is already lower case. No string is built. */
function equalsLowerAscii(buf: Buffer, lower: Buffer): boolean {
  for (let i = 0; i < lower.length; i++) {
    let c = buf[i];
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower[i]) return false;
  }
  return true;
}
