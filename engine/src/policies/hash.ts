/**
 * MurmurHash3 x86_32 (Austin Appleby, public domain; reference: smhasher `src/MurmurHash3.cpp`,
 * `MurmurHash3_x86_32`) over the UTF-8 bytes of a string.
 *
 * Why this hash: consistent hashing needs a fast, well-mixed, non-cryptographic 32-bit hash
 * that is identical on every platform, so that the simulator and the lab proxy place a key on
 * the same pod. Murmur3 passes SMHasher and is what many balancers use (e.g. Maglev
 * implementations, Cassandra's partitioner). Strings are hashed as UTF-8 (as TextEncoder would
 * encode them, lone surrogates becoming U+FFFD) so results match other languages' murmur3
 * over UTF-8 bytes.
 *
 * Hashing allocates nothing per call: the UTF-8 bytes go into a module-level scratch buffer
 * that only grows.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

let scratch = new Uint8Array(256);

/** Encodes `s` as UTF-8 into the shared scratch buffer and returns the byte length. */
function encodeUtf8(s: string): number {
  // Worst case is 3 bytes per UTF-16 code unit (a surrogate pair is 2 units -> 4 bytes).
  if (scratch.length < s.length * 3) scratch = new Uint8Array(Math.max(s.length * 3, scratch.length * 2));
  const out = scratch;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (cp >> 18);
          out[n++] = 0x80 | ((cp >> 12) & 0x3f);
          out[n++] = 0x80 | ((cp >> 6) & 0x3f);
          out[n++] = 0x80 | (cp & 0x3f);
          continue;
        }
        c = 0xfffd; // lone surrogate: replaced, as the WHATWG encoder does
      }
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/** MurmurHash3 x86_32 of `data[0..len)` with `seed`; returns an unsigned 32-bit integer. */
export function murmur3Bytes(data: Uint8Array, len: number, seed = 0): number {
  let h = seed | 0;
  const blocks = len & ~3;
  let i = 0;
  for (; i < blocks; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail !== 0) {
    let k = 0;
    if (tail === 3) k ^= data[i + 2] << 16;
    if (tail >= 2) k ^= data[i + 1] << 8;
    k ^= data[i];
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  return fmix32(h ^ len);
}

/** Murmur3's finalizer: forces every input bit to affect every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 x86_32 of the UTF-8 bytes of `s` with `seed` (unsigned 32-bit result). */
export function murmur3(s: string, seed = 0): number {
  const len = encodeUtf8(s);
  return murmur3Bytes(scratch, len, seed);
}

/**
 * Derives a new well-mixed 32-bit hash from `h` and a small `salt` (murmur3's fmix32 over
 * h XOR salt × golden ratio), for rehashing a key without hashing its bytes again.
 */
export function mix32(h: number, salt: number): number {
  return fmix32(h ^ Math.imul(salt, 0x9e3779b9));
}
