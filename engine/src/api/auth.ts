import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

/**
 * Bearer-token check in constant time. Both sides are hashed first so that the comparison
 * takes the same time whatever the length of the presented token.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Extracts the token from `Authorization: Bearer <token>`. */
export function bearerOf(header: string | undefined): string | undefined {
  const m = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return m ? m[1].trim() : undefined;
}

/** Middleware: 401 with the error envelope unless the bearer token matches. */
export function requireToken(token: string): RequestHandler {
  return (req, res, next) => {
    if (tokenMatches(bearerOf(req.headers.authorization), token)) return next();
    res.setHeader('www-authenticate', 'Bearer');
    sendError(res, 401, 'unauthorized', 'a valid bearer token is required');
  };
}
