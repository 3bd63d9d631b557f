import { describe, expect, it } from '@jest/globals';
import { erlangC, mm1TimeInSystem, mmcWait, supermarketTail, supermarketTimeInSystem } from '../../src/sim/theory.js';
import { meanInServiceTimes, relErr, sim } from './helpers.js';

/**
 * The simulator against queueing theory. Every run is seeded, so each check is deterministic.
 * The tolerance is the 3%; request counts are chosen so that 3% is at least 3 standard
 * deviations of the estimate, measured over 10 seeds (relative error, mean / sd):
 * M/M/1 rho 0.5 at 400k requests -0.05% / 0.37%; rho 0.8 at 1M about -0.2% / 0.8%;
 * M/M/c (c = 4, rho 0.8) waiting at 2M 0.0% / 0.9% (waiting is the noisy part of the time in
 * system); power-of-two on 200 pods at 400k: lambda 0.9 +0.5% / 0.8%, lambda 0.7 +0.2% / 0.4%.
 */
const SERVICE_MS = 10;

describe('closed forms', () => {
  it('Erlang C: C(1, a) = a; C(2, 1) = 1/3; large c agrees with the direct sum', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // Direct formula: C = (a^c/c!)(c/(c-a)) / (Σ_{k<c} a^k/k! + (a^c/c!)(c/(c-a)))
    const direct = (c: number, a: number) => {
      let sum = 0;
      let term = 1;
      for (let k = 0; k < c; k++) {
        sum += term;
        term *= a / (k + 1);
      }
      const top = (term * c) / (c - a);
      return top / (sum + top);
    };
    for (const [c, a] of [[4, 3.2], [16, 12], [64, 60]] as const) expect(erlangC(c, a)).toBeCloseTo(direct(c, a), 10);
  });

  it('supermarket fixed point: d = 1 is M/M/1, d = 2 at λ = 0.9 is Σ 0.9^(2^i − 2) = 2.6141, tails s_i = λ^(2^i − 1)', () => {
    expect(supermarketTimeInSystem(0.5, 1)).toBeCloseTo(2, 12);
    expect(supermarketTimeInSystem(0.9, 2)).toBeCloseTo(1 + 0.81 + 0.9 ** 6 + 0.9 ** 14 + 0.9 ** 30 + 0.9 ** 62 + 0.9 ** 126, 10);
    expect(supermarketTimeInSystem(0.9, 2)).toBeCloseTo(2.6141, 4);
    expect(supermarketTail(0.9, 2, 2)).toBeCloseTo(0.9 ** 3, 12);
  });
});

describe('simulation vs theory (3% tolerance, fixed seeds)', () => {
  it.each([
    [0.5, 400_000],
    [0.8, 1_000_000],
  ])('random dispatch to single-server exponential pods is M/M/1: time in system 1/(1 - rho) at rho = %s', (rho, requests) => {
    const o = sim({ policy: 'random', pods: 10, podConcurrency: 1, serviceTime: `exp:${SERVICE_MS}ms`, load: { model: 'open', load: rho }, requests, seed: 7 });
    const t = meanInServiceTimes(o.result, SERVICE_MS);
    expect(relErr(t, mm1TimeInSystem(rho))).toBeLessThan(0.03);
    expect(o.result.totals.requests).toBe(requests);
  }, 40_000);

  it('M/M/c: mean waiting matches Erlang C, c = 4 at rho = 0.8 (W = C(4, 3.2) / 0.8 = 0.745 service times)', () => {
    const c = 4;
    const rho = 0.8;
    const o = sim({ policy: 'random', pods: 10, podConcurrency: c, serviceTime: `exp:${SERVICE_MS}ms`, load: { model: 'open', load: rho }, requests: 2_000_000, seed: 3 });
    const wait = meanInServiceTimes(o.result, SERVICE_MS) - 1;
    expect(relErr(wait, mmcWait(c, c * rho))).toBeLessThan(0.03);
  }, 60_000);

  it('power-of-two on 200 pods approaches the supermarket fixed point (Mitzenmacher 2001) at λ = 0.9 and 0.7', () => {
    // Stated tolerance 3%: the fixed point is the n → ∞ limit; at n = 200 the finite-size
    // correction (O(1/n)) is under 0.6%, and the choice of d distinct pods (not with
    // replacement, as in the model) vanishes as n grows.
    for (const lambda of [0.9, 0.7]) {
      const o = sim({ policy: 'power-of-two', pods: 200, podConcurrency: 1, serviceTime: `exp:${SERVICE_MS}ms`, load: { model: 'open', load: lambda }, requests: 400_000, seed: 11 });
      expect(relErr(meanInServiceTimes(o.result, SERVICE_MS), supermarketTimeInSystem(lambda, 2))).toBeLessThan(0.03);
    }
    // ... far below random dispatch's M/M/1 (10 service times at 0.9): the power of two choices.
    expect(supermarketTimeInSystem(0.9, 2)).toBeLessThan(mm1TimeInSystem(0.9) / 3);
  }, 40_000);
});
