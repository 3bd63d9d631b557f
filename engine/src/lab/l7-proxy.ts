import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { hashKeyFor } from '../policies/hash-key.js';
import { forwardRequestHeaders, forwardResponseHeaders } from './hop-by-hop.js';
import type { HashKeySource } from '../policies/policy.js';
import type { ProxyPod, ProxyPods } from './proxy-pods.js';

/** Pool per pod: keep-alive upstream connections, one request at a time on each (no pipelining). */
export function createPool(port: number): Pool {
  return new Pool(`http://127.0.0.1:${port}`, { pipelining: 1 });
}

/**
 * L7 (per-request) balancing: every request is placed by the policy and forwarded over the
 * chosen pod's undici Pool, streaming both ways. Kept deliberately simple and faithful to a
 * plain reverse proxy: no retries on another pod; a transport failure answers 502 and counts
 * toward ejection; HTTP error statuses pass through untouched.
 */
export function createL7Server(pods: ProxyPods<Pool>): Server {
  return createServer((req, res) => {
    const pod = pods.pick(pods.hashKey ? requestKey(pods.hashKey, req) : undefined);
    if (!pod) {
      res.writeHead(503, ['content-type', 'text/plain', 'content-length', '15']);
      res.end('no healthy pod\n');
      return;
    }
    pods.begin(pod);
    const h = req.headers;
    const hasBody = (h['content-length'] !== undefined && h['content-length'] !== '0') || h['transfer-encoding'] !== undefined;
    const forward = new Forward(pods, pod, res);
    res.on('close', forward.onClientClose);
    const options: Dispatcher.DispatchOptions = {
      path: req.url ?? '/',
      method: req.method as Dispatcher.HttpMethod,
      headers: forwardRequestHeaders(req.rawHeaders, h.connection),
      body: hasBody ? req : null,
    };
    // A partitioned pod (partition.ts) refuses or holds the connect; once healed, `send` runs again.
    const send = (): void => {
      if (forward.closed) return;
      const gate = pod.partition;
      if (gate) forward.cancelHold = gate.connect(send, forward.connectFailed);
      else pod.upstream.dispatch(options, forward);
    };
    send();
  });
}

/** The consistent-hash key of a request (hash-key.ts: the path includes the query string). */
function requestKey(source: HashKeySource, req: IncomingMessage): string {
  return hashKeyFor(source, { headers: req.headers, path: req.url ?? '/', clientAddress: req.socket.remoteAddress ?? '' });
}

/** undici error codes for requests it will not send at all. */
const REFUSED = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);
const EMPTY = Buffer.alloc(0);

/**
 * One forwarded request, as an undici dispatch handler (the callback form, which undici calls
 * natively: no wrapper objects and no header parsing per request).
 */
class Forward implements Dispatcher.DispatchHandler {
  private abort: ((err?: Error) => void) | undefined;
  private done = false;
  /** 0 when the policy takes no latency reports (saves two clock reads per request). */
  private readonly startedAt: number;
  private held: Buffer | undefined;

  constructor(
    private readonly pods: ProxyPods<Pool>,
    private readonly pod: ProxyPod<Pool>,
    private readonly res: ServerResponse,
  ) {
    this.startedAt = pods.policy.observe ? performance.now() : 0;
  }

  /** Cancels a connect held by a black-holed pod (partition.ts). */
  cancelHold: (() => void) | undefined;

  /** The client went away or the request ended. */
  get closed(): boolean {
    return this.done;
  }

  /** A partition refused the connect, or its black hole timed out: as a failed upstream connect. */
  readonly connectFailed = (): void => {
    this.cancelHold = undefined;
    this.onError(Object.assign(new Error('connect failed: pod partitioned'), { code: 'ECONNREFUSED' }));
  };

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.done) abort(new Error('client closed'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    this.pods.answered(this.pod);
    this.res.writeHead(statusCode, forwardResponseHeaders(rawHeaders));
    this.resumeUpstream = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.done) return true; // client gone; the abort is on its way
    // A small response arrives as one chunk right before onComplete: holding the first chunk
    // lets it go out with end() in one call instead of write() + end().
    if (this.held === undefined) {
      this.held = chunk;
      return true;
    }
    const first = this.held;
    this.held = EMPTY;
    if (first.length > 0) this.res.write(first);
    // Backpressure: pause the upstream until the client has drained what it was sent.
    const ok = this.res.write(chunk);
    if (!ok) this.res.once('drain', this.resumeUpstream);
    return ok;
  }

  onComplete(): void {
    this.finish(this.startedAt > 0 ? performance.now() - this.startedAt : undefined);
    if (this.held !== undefined && this.held.length > 0) this.res.end(this.held);
    else this.res.end();
  }

  onError(err: Error): void {
    const clientGone = this.done;
    this.finish(undefined);
    if (clientGone) return;
    // undici refuses some requests before sending them (e.g. CONNECT): the client's fault, not the pod's.
    const refused = REFUSED.has((err as { code?: string }).code ?? '');
    if (!refused) this.pods.failed(this.pod);
    if (this.res.headersSent) {
      this.res.destroy(err);
      return;
    }
    const body = refused ? 'request not supported\n' : 'upstream failed\n';
    this.res.writeHead(refused ? 400 : 502, ['content-type', 'text/plain', 'content-length', String(body.length)]);
    this.res.end(body);
  }

  /** The client went away before the upstream finished: abort the upstream request. */
  readonly onClientClose = (): void => {
    if (this.done) return;
    this.finish(undefined);
    this.cancelHold?.();
    this.abort?.(new Error('client closed'));
  };

  private resumeUpstream: () => void = () => {};

  private finish(latencyMs: number | undefined): void {
    if (this.done) return;
    this.done = true;
    this.pods.end(this.pod, latencyMs);
  }
}
