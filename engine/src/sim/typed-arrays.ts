/** A copy of `a` in a new array of length `cap` (>= a.length), zero-filled past the old end. */
export function grownF64(a: Float64Array, cap: number): Float64Array {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/** A copy of `a` in a new array of length `cap` (>= a.length), zero-filled past the old end. */
export function grownI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** A copy of `a` in a new array of length `cap` (>= a.length), zero-filled past the old end. */
export function grownU8(a: Uint8Array, cap: number): Uint8Array {
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}
