/** A source of uniform random numbers in [0, 1). Injected everywhere randomness is used. */
export interface Random {
  next(): number;
}

/**
 * Seeded generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter, PractRand-clean) seeded
 * through splitmix32 so that nearby seeds give unrelated streams. Deterministic across runs
 * and platforms, which is what the seeded tests and the simulator rely on.
 */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const rng = {
    next(): number {
      a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
      const t = (a + b) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      d = (d + 1) | 0;
      const r = (t + d) | 0;
      c = (c + r) | 0;
      return (r >>> 0) / 4294967296;
    },
  };
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/** Unseeded source for production paths (Math.random is fine there: nothing replays it). */
export const mathRandom: Random = { next: () => Math.random() };

/** Integer in [0, n). */
export function randomInt(random: Random, n: number): number {
  return Math.floor(random.next() * n);
}
