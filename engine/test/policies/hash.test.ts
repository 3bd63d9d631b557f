import { describe, expect, it } from '@jest/globals';
import { mix32, murmur3, murmur3Bytes } from '../../src/policies/hash.js';

describe('murmur3 x86_32', () => {
  // Reference vectors of MurmurHash3_x86_32 (smhasher; also listed on Wikipedia's MurmurHash page).
  it.each([
    { s: '', seed: 0, want: 0 },
    { s: '', seed: 1, want: 0x514e28b7 },
    { s: '', seed: 0xffffffff, want: 0x81f16f39 },
    { s: 'abc', seed: 0, want: 0xb3dd93fa },
    { s: 'aaaa', seed: 0x9747b28c, want: 0x5a97808a },
    { s: 'hello', seed: 0, want: 0x248bfa47 },
    { s: 'Hello, world!', seed: 1234, want: 0xfaf6cdb3 },
    { s: 'The quick brown fox jumps over the lazy dog', seed: 0, want: 0x2e4ff723 },
  ])('murmur3($s, $seed)', ({ s, seed, want }) => {
    expect(murmur3(s, seed)).toBe(want);
  });

  it('hashes the UTF-8 bytes, as TextEncoder encodes them (lone surrogates as U+FFFD)', () => {
    for (const s of ['é', 'naïve café', '日本語のキー', '😀 emoji 🚀', 'lone \ud800 high', 'lone \udc00 low', 'x'.repeat(1000) + 'ü']) {
      const bytes = new TextEncoder().encode(s);
      expect(murmur3(s, 7)).toBe(murmur3Bytes(bytes, bytes.length, 7));
    }
  });

  it('returns unsigned 32-bit integers and mixes salts into unrelated values', () => {
    const seen = new Set<number>();
    for (let salt = 0; salt < 1000; salt++) {
      const h = mix32(0xdeadbeef, salt);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
      seen.add(h);
    }
    expect(seen.size).toBe(1000);
  });
});
