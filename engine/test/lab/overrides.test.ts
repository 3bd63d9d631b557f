import { describe, expect, it } from '@jest/globals';
import { OVERRIDE_CAPS } from '../../src/lab/overrides.js';
import { parseOverrides, pickWeighted } from '../../src/lab/overrides.js';

describe('parseOverrides (fortio weighted grammar)', () => {
  it.each([
    ['', {}],
    ['foo=bar&x', {}],
    ['delay=10ms:20,1s:0.5', { delay: [{ value: 10, percent: 20 }, { value: 1000, percent: 0.5 }] }],
    ['delay=250ms', { delay: [{ value: 250, percent: 100 }] }],
    ['status=503:5', { status: [{ value: 503, percent: 5 }] }],
    ['status=503:5,429:10&size=1024', {
      status: [{ value: 503, percent: 5 }, { value: 429, percent: 10 }],
      size: [{ value: 1024, percent: 100 }],
    }],
    ['delay=10ms%3A50%2C20ms%3A50', { delay: [{ value: 10, percent: 50 }, { value: 20, percent: 50 }] }],
  ])('%s', (query, expected) => {
    expect(parseOverrides(query)).toEqual(expected);
  });

  it('clamps values over the caps', () => {
    expect(parseOverrides('delay=1h&size=99999999')).toEqual({
      delay: [{ value: OVERRIDE_CAPS.maxDelayMs, percent: 100 }],
      size: [{ value: OVERRIDE_CAPS.maxResponseBytes, percent: 100 }],
    });
  });

  it.each([
    ['delay=zz', /delay: "zz"/],
    ['delay=10', /delay/],
    ['delay', /missing value/],
    ['status=99', /status/],
    ['status=700:5', /status/],
    ['status=503:0', /percent/],
    ['status=503:abc', /percent/],
    ['status=503:101', /percent/],
    ['status=503:60,500:50', /over 100/],
    ['size=-1', /size/],
    ['size=1.5', /size/],
    ['size=%E0%A4%A', /URL encoding/],
  ])('rejects %s', (query, message) => {
    const r = parseOverrides(query);
    expect(typeof r).toBe('string');
    expect(r).toMatch(message);
  });
});

describe('pickWeighted', () => {
  const list = [{ value: 10, percent: 20 }, { value: 1000, percent: 0.5 }];
  it.each([
    [0, 10],
    [0.1999, 10],
    [0.2, 1000],
    [0.2049, 1000],
    [0.205, undefined],
    [0.9999, undefined],
  ])('u=%s → %s', (u, expected) => {
    expect(pickWeighted(list, u)).toBe(expected);
  });

  it('undefined without a list', () => {
    expect(pickWeighted(undefined, 0)).toBeUndefined();
  });

  it('covers every request at 100%', () => {
    expect(pickWeighted([{ value: 7, percent: 100 }], 0.99999)).toBe(7);
  });
});
