import { describe, expect, it } from '@jest/globals';
import { hashKeyFor } from '../../src/policies/hash-key.js';

const req = (headers: Record<string, string | string[] | undefined>, path = '/cart?id=1', clientAddress = '10.0.0.7') => ({
  headers,
  path,
  clientAddress,
});

describe('hashKeyFor', () => {
  it.each([
    { case: 'header, same case', source: { from: 'header', header: 'x-user' }, input: req({ 'x-user': 'alice' }), want: 'alice' },
    { case: 'header, name in other case', source: { from: 'header', header: 'X-User' }, input: req({ 'x-user': 'alice' }), want: 'alice' },
    { case: 'header, stored in other case', source: { from: 'header', header: 'x-user' }, input: req({ 'X-USER': 'bob' }), want: 'bob' },
    { case: 'header repeated', source: { from: 'header', header: 'x-user' }, input: req({ 'x-user': ['a', 'b'] }), want: 'a, b' },
    { case: 'header missing', source: { from: 'header', header: 'x-user' }, input: req({ other: 'x' }), want: '' },
    { case: 'header undefined', source: { from: 'header', header: 'x-user' }, input: req({ 'x-user': undefined }), want: '' },
    { case: 'no prototype leak', source: { from: 'header', header: 'constructor' }, input: req({}), want: '' },
    { case: 'path with query', source: { from: 'path' }, input: req({}), want: '/cart?id=1' },
    { case: 'client IPv4', source: { from: 'client' }, input: req({}), want: '10.0.0.7' },
    { case: 'client IPv4-mapped', source: { from: 'client' }, input: req({}, '/', '::ffff:10.0.0.7'), want: '10.0.0.7' },
    { case: 'client IPv6', source: { from: 'client' }, input: req({}, '/', '2001:db8::1'), want: '2001:db8::1' },
  ] as const)('$case', ({ source, input, want }) => {
    expect(hashKeyFor(source, input)).toBe(want);
  });
});
