import type { Clock } from '../core/clock.js';
import { ValidationError, type Issue } from '../core/errors.js';
import type { ClosedModel, LoadModel, OpenModel } from './schedule.js';

/** What to load, how hard, and over which connections. Defaults: DEFAULT_LOAD_OPTIONS. */
export interface LoadOptions {
  /** Target origin, optionally with a path and query (http: or https:). */
  url: string;
  /** HTTP method; default GET. */
  method?: string;
  /** Request path and query; default: the url's own path and query. */
  path?: string;
  /** Extra request headers sent with every request. */
  headers?: Record<string, string>;
  /** Open (arrival rate) or closed (users) model. */
  model: OpenModel | ClosedModel;
  /** Reuse connections; false = every request closes its connection (`connection: close`). Default true. */
  keepAlive?: boolean;
  /** Connections to the target at most, for the whole run (split across workers, at least 1 each). Default 64. */
  maxConnections?: number;
  /** Requests per connection before it is closed and replaced; 0 = unlimited (default). */
  requestsPerConnection?: number;
  /** A request unanswered after this long (queueing included) fails as a timeout. Default 10000. */
  timeoutMs?: number;
  /** Response header naming the pod that served the request. Default 'x-scale-pod'. */
  podHeader?: string;
  /** worker_threads to split the load across; 1 (default) runs in the calling thread. */
  workers?: number;
  /** Open model: cap on outstanding requests (whole run, split across workers); past it a due request is counted as dropped. Default 10000. */
  maxInflight?: number;
  /** Seed for think-time draws (closed model); default: a random seed. */
  seed?: number;
  /**
   * Each virtual client connects from its own loopback address (core/client-address.ts), as a
   * balancer sees real clients: a closed-model user with its own connection (while there are no
   * more users than connections), else each connection of the pool. Only to an IPv4 loopback
   * target (127.0.0.0/8); elsewhere the OS picks the source. Default true.
   */
  distinctClients?: boolean;
  /** Time source for the calling thread (tests); worker threads always use the system clock. */
  clock?: Clock;
}

/** Options with every default applied; what the runner works from. */
export interface ResolvedLoadOptions extends Required<Omit<LoadOptions, 'clock' | 'headers' | 'path'>> {
  /** Origin only (scheme, host, port). */
  origin: string;
  path: string;
  /** Header names and values flattened, as undici takes them cheapest. */
  headers: string[];
}

/** Every default of LoadOptions, in one place. */
export const DEFAULT_LOAD_OPTIONS = {
  method: 'GET',
  keepAlive: true,
  maxConnections: 64,
  requestsPerConnection: 0,
  timeoutMs: 10_000,
  podHeader: 'x-scale-pod',
  workers: 1,
  maxInflight: 10_000,
  distinctClients: true,
} as const;

/** Limits that keep a mistyped number from taking the machine down. */
export const LOAD_LIMITS = {
  maxRate: 1_000_000,
  maxUsers: 100_000,
  maxDurationMs: 24 * 3_600_000,
  maxConnections: 10_000,
  maxWorkers: 64,
  maxTimeoutMs: 600_000,
} as const;

/**
 * Applies defaults and checks every field, reporting all problems at once.
 * @throws ValidationError listing each bad field.
 */
export function resolveLoadOptions(o: LoadOptions): ResolvedLoadOptions {
  const issues: Issue[] = [];
  const d = DEFAULT_LOAD_OPTIONS;
  let url: URL | undefined;
  try {
    url = new URL(o.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') issues.push({ path: 'url', message: 'must be http: or https:' });
  } catch {
    issues.push({ path: 'url', message: `not a URL: "${o.url}"` });
  }
  const r: ResolvedLoadOptions = {
    url: o.url,
    origin: url?.origin ?? '',
    path: o.path ?? (url ? url.pathname + url.search : '/'),
    method: (o.method ?? d.method).toUpperCase(),
    headers: Object.entries(o.headers ?? {}).flat(),
    model: o.model,
    keepAlive: o.keepAlive ?? d.keepAlive,
    maxConnections: o.maxConnections ?? d.maxConnections,
    requestsPerConnection: o.requestsPerConnection ?? d.requestsPerConnection,
    timeoutMs: o.timeoutMs ?? d.timeoutMs,
    podHeader: (o.podHeader ?? d.podHeader).toLowerCase(),
    workers: o.workers ?? d.workers,
    maxInflight: o.maxInflight ?? d.maxInflight,
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 32),
    distinctClients: o.distinctClients ?? d.distinctClients,
  };
  if (!r.path.startsWith('/')) issues.push({ path: 'path', message: 'must start with /' });
  if (!/^[A-Z]+$/.test(r.method)) issues.push({ path: 'method', message: `not an HTTP method: "${r.method}"` });
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(r.podHeader)) issues.push({ path: 'podHeader', message: 'not a header name' });
  int(issues, 'maxConnections', r.maxConnections, 1, LOAD_LIMITS.maxConnections);
  int(issues, 'requestsPerConnection', r.requestsPerConnection, 0, Number.MAX_SAFE_INTEGER);
  num(issues, 'timeoutMs', r.timeoutMs, 1, LOAD_LIMITS.maxTimeoutMs);
  int(issues, 'workers', r.workers, 1, LOAD_LIMITS.maxWorkers);
  int(issues, 'maxInflight', r.maxInflight, 1, Number.MAX_SAFE_INTEGER);
  issues.push(...modelIssues(o.model));
  if (issues.length) throw new ValidationError(issues, `invalid load options: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
  return r;
}

function modelIssues(m: LoadModel | undefined): Issue[] {
  const issues: Issue[] = [];
  if (m?.model === 'open') {
    if (!Array.isArray(m.stages) || m.stages.length === 0) issues.push({ path: 'model.stages', message: 'needs at least one stage' });
    else {
      m.stages.forEach((s, i) => {
        num(issues, `model.stages.${i}.rate`, s.rate, 0, LOAD_LIMITS.maxRate);
        num(issues, `model.stages.${i}.durationMs`, s.durationMs, 1, LOAD_LIMITS.maxDurationMs);
      });
    }
  } else if (m?.model === 'closed') {
    int(issues, 'model.users', m.users, 1, LOAD_LIMITS.maxUsers);
    num(issues, 'model.spawnRate', m.spawnRate, Number.MIN_VALUE, Number.MAX_VALUE);
    num(issues, 'model.durationMs', m.durationMs, 1, LOAD_LIMITS.maxDurationMs);
    if (m.iterations !== undefined) int(issues, 'model.iterations', m.iterations, 1, Number.MAX_SAFE_INTEGER);
  } else {
    issues.push({ path: 'model.model', message: 'must be "open" or "closed"' });
  }
  return issues;
}

function num(issues: Issue[], path: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    issues.push({ path, message: `must be a number from ${min} to ${max} (got ${String(v)})` });
  }
}

function int(issues: Issue[], path: string, v: unknown, min: number, max: number): void {
  if (!Number.isInteger(v)) issues.push({ path, message: `must be a whole number (got ${String(v)})` });
  else num(issues, path, v, min, max);
}
