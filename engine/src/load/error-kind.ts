import type { ErrorCounts } from './load-report.js';

/** The kind of a failed request, as counted in ErrorCounts. */
export type ErrorKind = keyof ErrorCounts;

/** Code of the runner's own timeout (the whole request, queueing included, took too long). */
export const LOAD_TIMEOUT_CODE = 'SCALE_LOAD_TIMEOUT';

/** The error a request is aborted with when it outlives timeoutMs. */
export class LoadTimeoutError extends Error {
  readonly code = LOAD_TIMEOUT_CODE;
  constructor(timeoutMs: number) {
    super(`request took longer than ${timeoutMs} ms`);
    this.name = 'LoadTimeoutError';
  }
}

/**
 * Error codes by kind: Node's socket errors (errno names) and undici's stable codes
 * (undici lib/core/errors.js). A status >= 400 is not an error here: it is a response.
 */
const KIND_BY_CODE: Record<string, ErrorKind> = {
  ECONNREFUSED: 'connect',
  ENOTFOUND: 'connect',
  EAI_AGAIN: 'connect',
  EHOSTUNREACH: 'connect',
  ENETUNREACH: 'connect',
  EADDRNOTAVAIL: 'connect',
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  [LOAD_TIMEOUT_CODE]: 'timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
};

interface CodedError {
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Classifies a request failure. Looks at the error's code, then its cause and, for Node's
 * happy-eyeballs AggregateError, its first inner error (a refused `localhost` arrives that way).
 */
export function classifyError(err: unknown): ErrorKind {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const c = e as CodedError;
    if (typeof c.code === 'string' && KIND_BY_CODE[c.code]) return KIND_BY_CODE[c.code];
    e = c.cause ?? (Array.isArray(c.errors) ? c.errors[0] : undefined);
  }
  return 'other';
}
