import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/random.js';
import { DistinctSampler } from '../../src/policies/choose.js';
import { makePods } from './helpers.js';

describe('DistinctSampler', () => {
  it.each([
    { case: 'all healthy, d << n (rejection path)', n: 50, unhealthy: [] as number[], d: 3 },
    { case: 'most unhealthy (scan fallback)', n: 12, unhealthy: [0, 1, 2, 3, 4, 5, 6, 7], d: 2 },
    { case: 'd = n', n: 6, unhealthy: [], d: 6 },
    { case: 'd > healthy count', n: 6, unhealthy: [1, 4], d: 9 },
  ])('$case: distinct healthy indices, each pod equally likely (within 1%)', ({ n, unhealthy, d }) => {
    const pods = makePods(n, Array.from({ length: n }, (_, i) => ({ healthy: !unhealthy.includes(i) })));
    const healthy = n - unhealthy.length;
    const k = Math.min(d, healthy);
    const sampler = new DistinctSampler();
    const random = seededRandom(3);
    const hits = new Array<number>(n).fill(0);
    const firsts = new Array<number>(n).fill(0);
    const draws = 50_000;
    let wrongCount = 0;
    let repeats = 0;
    const seen = new Uint32Array(n);
    for (let t = 1; t <= draws; t++) {
      if (sampler.sample(pods, d, random) !== k) wrongCount++;
      for (let j = 0; j < k; j++) {
        const i = sampler.chosen[j];
        if (seen[i] === t) repeats++;
        seen[i] = t;
        hits[i]++;
      }
      firsts[sampler.chosen[0]]++;
    }
    expect([wrongCount, repeats]).toEqual([0, 0]);
    for (let i = 0; i < n; i++) {
      if (unhealthy.includes(i)) {
        expect(hits[i]).toBe(0);
        continue;
      }
      // Inclusion probability k / healthy; the first drawn is uniform too (random order).
      expect(Math.abs(hits[i] / draws - k / healthy)).toBeLessThan(0.01);
      expect(Math.abs(firsts[i] / draws - 1 / healthy)).toBeLessThan(0.01);
    }
  });
});
