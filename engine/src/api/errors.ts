import type { ErrorRequestHandler, Response } from 'express';
import { ScaleError, type ErrorCode, type Issue } from '../core/errors.js';

/**
 * The one error envelope of the API: `{ "error": { "code", "message", "details": [...] } }`.
 * Every error, from validation to a crash in a handler, leaves through here.
 */
export interface ErrorEnvelope {
  error: { code: string; message: string; details: Issue[] };
}

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  limit_exceeded: 400,
  unauthorized: 401,
  forbidden_target: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  target_unreachable: 422,
  too_many_tests: 429,
  engine_error: 500,
  upstream_error: 502,
  upstream_timeout: 504,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code];
}

export function sendError(res: Response, status: number, code: string, message: string, details: Issue[] = []): void {
  const body: ErrorEnvelope = { error: { code, message, details } };
  res.status(status).json(body);
}

/** Body-parser errors carry a `type`; map them to our codes so bad JSON is a 400, not a 500. */
function fromParserError(err: { type?: string; status?: number; message?: string }): ScaleError | undefined {
  if (err.type === 'entity.parse.failed')
    return new ScaleError('invalid_input', 'the body is not valid JSON', [{ path: '', message: err.message ?? 'bad JSON' }]);
  if (err.type === 'entity.too.large') return new ScaleError('payload_too_large', 'the body is too large');
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported')
    return new ScaleError('invalid_input', 'unsupported body encoding');
  if (typeof err.status === 'number' && err.status >= 400 && err.status < 500)
    return new ScaleError('invalid_input', err.message ?? 'bad request');
  return undefined;
}

/** Express error handler: ScaleErrors keep their code; anything else is a 500 that is logged. */
export function errorHandler(log: (err: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const known = err instanceof ScaleError ? err : fromParserError((err ?? {}) as { type?: string });
    if (known) {
      sendError(res, statusFor(known.code), known.code, known.message, known.details);
      return;
    }
    log(err);
    sendError(res, 500, 'engine_error', 'internal error');
  };
}
