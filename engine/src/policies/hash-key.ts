import type { HashKeySource } from './policy.js';

/** What a host knows about a request (L7) or connection (L4) when building a hash key. */
export interface HashKeyInput {
  /** Request headers; names in any case (Node lower-cases them, the simulator may not). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Request path as the host received it, query string included. */
  readonly path: string;
  /** Client IP address, without port. */
  readonly clientAddress: string;
}

/**
 * Builds `PickRequest.key` for consistent-hash from the policy's `hashKey` option. Pure, so
 * the lab proxy and the simulator derive the same key from the same request.
 *
 * - header: matched case-insensitively (RFC 9110 §5.1); a repeated header's values are joined
 *   with ", " as Node joins them (RFC 9110 §5.3); a missing header gives "".
 * - path: the path exactly as given (query string included, as nginx's `$request_uri` and
 *   Envoy's `:path` hashing do).
 * - client: the address, with an IPv4-mapped IPv6 prefix ("::ffff:10.0.0.1") removed so that a
 *   client hashes the same over IPv4 and dual-stack sockets.
 */
export function hashKeyFor(source: HashKeySource, req: HashKeyInput): string {
  switch (source.from) {
    case 'header':
      return headerValue(req.headers, source.header);
    case 'path':
      return req.path;
    case 'client':
      return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(req.clientAddress) ? req.clientAddress.slice(7) : req.clientAddress;
  }
}

function headerValue(headers: HashKeyInput['headers'], name: string): string {
  const wanted = name.toLowerCase();
  // Own properties only: a header named "constructor" must not read Object.prototype.
  let value = Object.hasOwn(headers, wanted) ? headers[wanted] : undefined;
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === wanted && headers[key] !== undefined) {
        value = headers[key];
        break;
      }
    }
  }
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join(', ');
}
