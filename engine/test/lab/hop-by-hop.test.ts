import { describe, expect, it } from '@jest/globals';
import { forwardRequestHeaders, forwardResponseHeaders } from '../../src/lab/hop-by-hop.js';

describe('hop-by-hop header filtering', () => {
  it('drops connection-scoped request headers, keeps the rest in order', () => {
    const raw = ['Host', 'a', 'Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'X-User', 'u1', 'TE', 'trailers', 'Expect', '100-continue', 'Accept', '*/*'];
    expect(forwardRequestHeaders(raw, 'keep-alive')).toEqual(['Host', 'a', 'X-User', 'u1', 'Accept', '*/*']);
  });

  it('drops headers the Connection header names', () => {
    const raw = ['Host', 'a', 'Connection', 'close, X-Secret', 'X-Secret', 's', 'X-Other', 'o'];
    expect(forwardRequestHeaders(raw, 'close, X-Secret')).toEqual(['Host', 'a', 'X-Other', 'o']);
  });

  it('converts and filters response headers', () => {
    const raw = ['x-scale-pod', 'pod-1', 'Transfer-Encoding', 'chunked', 'content-length', '3', 'connection', 'keep-alive'].map((s) => Buffer.from(s));
    expect(forwardResponseHeaders(raw)).toEqual(['x-scale-pod', 'pod-1', 'content-length', '3']);
  });
});
