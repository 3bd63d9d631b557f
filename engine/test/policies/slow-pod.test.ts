import { describe, expect, it } from '@jest/globals';
import { seeded, simulateLoad } from './helpers.js';

/**
 * One pod 5x slower (20 ms vs 4 ms per request), one request per ms, 100,000 picks, in the
 * load model of `simulateLoad` (in-flight counts rise on pick and fall on completion; peak-ewma
 * is fed each completion's latency). Random sends the slow pod its 1/5; load- and
 * latency-aware policies must send it much less.
 */
describe('a 5x slower pod under load (100,000 picks)', () => {
  const service = [20, 4, 4, 4, 4];
  const random = seeded('random');
  const randomShares = simulateLoad(random.policy, random.clock, service, 100_000);

  it('random gives it its 1/5 (within 1%)', () => {
    expect(Math.abs(randomShares[0] - 0.2)).toBeLessThan(0.01);
  });

  it.each([
    // Equal in-flight counts means arrival rate ∝ 1/service time: 1/21 ≈ 0.048 for the slow pod.
    { name: 'least-connections' as const, min: 0.03, max: 0.07 },
    // Measured ≈ 0.08: d = 2 still sends it a request whenever both candidates are as loaded.
    { name: 'power-of-two' as const, min: 0.03, max: 0.12 },
    // Its estimate stays 20 ms, 5x the others: it is only re-probed when that estimate has decayed
    // below the others' cost, about once per decayMs × ln(20 / 8) ≈ 9 s of clock, so a few dozen
    // picks in 100 s; it must still be probed (share > 0).
    { name: 'peak-ewma' as const, min: 1e-5, max: 0.005 },
  ])('$name sends it between $min and $max', ({ name, min, max }) => {
    const { policy, clock } = seeded(name);
    const got = simulateLoad(policy, clock, service, 100_000);
    expect(got[0]).toBeGreaterThanOrEqual(min);
    expect(got[0]).toBeLessThanOrEqual(max);
    expect(got[0]).toBeLessThan(randomShares[0] / 2);
    // The rest is spread evenly over the four fast pods.
    for (const s of got.slice(1)) expect(Math.abs(s - (1 - got[0]) / 4)).toBeLessThan(0.01);
  });
});
