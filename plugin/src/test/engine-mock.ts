/**
 * The engine, as jest tests see it: a table of handlers behind `getBackendSrv()`, answering
 * what the engine (or Grafana's proxy in front of it) answers, in the shapes Grafana's
 * backendSrv resolves and rejects with. Not MSW: the pages call `getBackendSrv().fetch`, which
 * jsdom has no Grafana behind, so the table plugs in at that level (as the browser harness does
 * with a real fetch), and a test stays a few milliseconds long.
 */
import { Observable } from 'rxjs';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import { ENGINE_PROXY_BASE } from '../constants';
import type { Issue } from '../api/types';

/** An answer with a status; a handler that returns anything else answers 200 with it. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown
  ) {}
}

export interface EngineRequest {
  method: string;
  /** Path below the proxy base, e.g. `/api/results/abc`. */
  path: string;
  params: Record<string, unknown>;
  body: unknown;
  /** `:name` segments of the matched route. */
  vars: Record<string, string>;
}

export type Handler = (req: EngineRequest) => unknown;
/** `'GET /api/results/:id'` → a handler or a fixed answer (a Reply or a body). */
export type Routes = Record<string, Handler | Reply | object>;

/** The engine's error envelope. */
export const engineError = (status: number, code: string, message: string, details: Issue[] = []) =>
  new Reply(status, { error: { code, message, details } });

/** The failures every page must show as their own state: engine down (Grafana's 502), 401, 403, 429. */
export const FAILURES = {
  down: { reply: new Reply(502, { message: 'Bad Gateway' }), title: 'The Scale engine cannot be reached' },
  unauthorized: {
    reply: engineError(401, 'unauthorized', 'missing or invalid bearer token'),
    title: 'The engine refused the token (401)',
  },
  forbidden: { reply: new Reply(403, { message: 'plugin proxy route access denied' }), title: 'Not allowed (403)' },
  tooMany: {
    reply: engineError(429, 'too_many_tests', 'at most 4 tests may run at once'),
    title: 'Too many tests are running (429)',
  },
} as const;
export const FAILURE_CASES = Object.entries(FAILURES).map(([name, f]) => ({ name, ...f }));

interface Compiled {
  method: string;
  re: RegExp;
  names: string[];
  answer: Handler | Reply | object;
}

function compile(routes: Routes): Compiled[] {
  return Object.entries(routes).map(([key, answer]) => {
    const [method, pattern] = key.split(' ');
    const names: string[] = [];
    const re =
      pattern === '*' ? /.*/ : new RegExp(`^${pattern.replace(/:(\w+)/g, (_m, n) => (names.push(n), '([^/]+)'))}$`);
    return { method, re, names, answer };
  });
}

export interface EngineMock {
  /** Every request, in order. */
  calls: EngineRequest[];
  /** Requests no route matched (answered 404 as the engine would). */
  unmatched: EngineRequest[];
  /** Replaces or adds routes (later keys win). */
  use(routes: Routes): void;
  /** Calls to one route key, e.g. `'POST /api/load-test/start'`. */
  callsTo(key: string): EngineRequest[];
}

/**
 * Installs the table as Grafana's backendSrv. Routes match method and path below `base`
 * (`'*'` as the whole key matches everything); answers arrive asynchronously, like a network.
 */
export function mockEngine(routes: Routes, base = ENGINE_PROXY_BASE): EngineMock {
  let table = compile(routes);
  const calls: EngineRequest[] = [];
  const unmatched: EngineRequest[] = [];

  const answer = async (req: BackendSrvRequest): Promise<FetchResponse<unknown>> => {
    const url = req.url.replace(/^\//, '');
    const prefix = base.replace(/^\//, '');
    const rest = url.startsWith(prefix) ? url.slice(prefix.length) : url;
    const path = `/${rest.replace(/^\//, '')}`;
    const method = (req.method ?? 'GET').toUpperCase();
    const r: EngineRequest = { method, path, params: req.params ?? {}, body: req.data, vars: {} };
    calls.push(r);
    const hit = [...table].reverse().find((c) => (c.method === method || c.method === '*') && c.re.test(path));
    let out: unknown;
    if (!hit) {
      unmatched.push(r);
      out = engineError(404, 'not_found', `no route ${method} ${path}`);
    } else {
      const m = hit.re.exec(path)!;
      hit.names.forEach((n, i) => (r.vars[n] = decodeURIComponent(m[i + 1])));
      out = typeof hit.answer === 'function' ? await (hit.answer as Handler)(r) : hit.answer;
    }
    const reply = out instanceof Reply ? out : new Reply(200, out);
    if (reply.status >= 400 || reply.status === 0) {
      // What Grafana's backendSrv rejects with (isFetchError: status and data).
      throw { status: reply.status, statusText: `HTTP ${reply.status}`, data: reply.body ?? {}, config: req };
    }
    return {
      data: reply.body,
      status: reply.status,
      statusText: 'OK',
      ok: true,
      headers: {} as Headers,
      redirected: false,
      type: 'basic',
      url: req.url,
      config: req,
    };
  };

  const fetch = (req: BackendSrvRequest) =>
    new Observable<FetchResponse<unknown>>((sub) => {
      let open = true;
      answer(req).then(
        (v) => open && (sub.next(v), sub.complete()),
        (e) => open && sub.error(e)
      );
      return () => {
        open = false;
      };
    });
  setBackendSrv({ fetch } as unknown as BackendSrv);

  return {
    calls,
    unmatched,
    use: (more) => {
      table = [...table, ...compile(more)];
    },
    callsTo: (key) => {
      const [method, pattern] = key.split(' ');
      const c = compile({ [key]: {} })[0];
      return calls.filter((r) => r.method === method && (pattern === '*' || c.re.test(r.path)));
    },
  };
}

/** An answer that never arrives until released (to see loading states). */
export function pending<T = unknown>() {
  let release!: (v: T) => void;
  const promise = new Promise<T>((r) => (release = r));
  return { handler: () => promise, release };
}
