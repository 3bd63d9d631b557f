/**
 * Hop-by-hop header filtering for the L7 proxy (RFC 9110 §7.6.1): these headers describe one
 * connection, not the message, so a proxy must not forward them. `expect` is dropped too because
 * undici refuses it, and the proxy answers no 100-continue itself.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
]);

/** Lengths of those names: most headers are ruled out by length without lower-casing them. */
const HOP_LENGTHS = new Set([...HOP_BY_HOP].map((n) => n.length));

function isHopByHop(name: string): boolean {
  return HOP_LENGTHS.has(name.length) && HOP_BY_HOP.has(name.toLowerCase());
}

/**
 * Request headers to send upstream, as undici's flat `[name, value, ...]` array, from Node's
 * `rawHeaders`. Headers named in the request's own `Connection` header are dropped as well.
 */
export function forwardRequestHeaders(raw: readonly string[], connection: string | undefined): string[] {
  const extra = connection && connection !== 'keep-alive' && connection !== 'close' ? connectionTokens(connection) : undefined;
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (isHopByHop(raw[i]) || extra?.has(raw[i].toLowerCase())) continue;
    out.push(raw[i], raw[i + 1]);
  }
  return out;
}

/** Response headers to send to the client, as Node's flat array, from undici's raw Buffers. */
export function forwardResponseHeaders(raw: readonly Buffer[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i].toString('latin1');
    if (isHopByHop(name)) continue;
    out.push(name, raw[i + 1].toString('latin1'));
  }
  return out;
}

function connectionTokens(value: string): Set<string> {
  return new Set(value.split(',').map((t) => t.trim().toLowerCase()));
}
