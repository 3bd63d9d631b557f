import { describe, expect, it } from '@jest/globals';
import { analyseBalance, chiSquarePValue, jain, utilisationBalance } from '../../src/analysis/balance.js';
import { seededRandom } from '../../src/core/random.js';

describe('analyseBalance (hand-computed values)', () => {
  it('an even split scores 1 and is balanced', () => {
    const b = analyseBalance([100, 100, 100, 100, 100]);
    expect(b.score).toBe(1);
    expect(b.cov).toBe(0);
    expect(b.maxMean).toBe(1);
    expect(b.chiSquare).toBe(0);
    expect(b.chiSquareP).toBe(1);
    expect(b.verdict).toBe('balanced');
    expect(b.shares).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
  });

  it('one pod taking five times its share: J = 810000 / (5 * 290000)', () => {
    const b = analyseBalance([500, 100, 100, 100, 100]);
    expect(b.score).toBeCloseTo(810000 / 1450000, 12);
    expect(b.cov).toBeCloseTo(160 / 180, 12);
    expect(b.maxMean).toBeCloseTo(500 / 180, 12);
    expect(b.chiSquare).toBeCloseTo(128000 / 180, 9);
    expect(b.df).toBe(4);
    expect(b.chiSquareP).toBeLessThan(1e-100);
    expect(b.verdict).toBe('imbalanced');
  });

  it('compares against expected shares from capacity, not against an even split', () => {
    const b = analyseBalance([500, 100, 100, 100, 100], [5, 1, 1, 1, 1]);
    expect(b.score).toBeCloseTo(1, 12);
    expect(b.verdict).toBe('balanced');
    expect(b.expectedShares[0]).toBeCloseTo(5 / 9, 12);
    // and the other way round: weights 5,1,1,1,1 on equal pods is caught
    expect(analyseBalance([500, 100, 100, 100, 100], [1, 1, 1, 1, 1]).verdict).toBe('imbalanced');
  });

  it('reports insufficient-data while an expected count is below 5', () => {
    expect(analyseBalance([1, 2, 1, 0, 1]).verdict).toBe('insufficient-data');
    expect(analyseBalance([5, 5, 5, 5, 5]).verdict).toBe('balanced');
  });

  it('nothing served is no-data with a score of 0, never a perfect score', () => {
    for (const b of [analyseBalance([0, 0, 0]), analyseBalance([])]) {
      expect(b.verdict).toBe('no-data');
      expect(b.score).toBe(0);
    }
  });

  it('weighted sums (busy time): the chi-square is scaled by the sum of squared weights', () => {
    // equal weights w: busy = w x counts, sum of squares = w^2 x total: the count test exactly
    const counts = [20, 5, 10, 10, 5];
    const byCount = analyseBalance(counts);
    const w = 7;
    const byBusy = analyseBalance(counts.map((c) => c * w), undefined, { sumSquares: w * w * 50 });
    expect(byBusy.chiSquare).toBeCloseTo(byCount.chiSquare, 9);
    expect(byBusy.score).toBeCloseTo(byCount.score, 12);
    expect(byBusy.verdict).toBe(byCount.verdict);
    // the same busy spread made of a few long requests is noise, not an imbalance
    const few = analyseBalance([500, 100, 100, 100, 100], undefined, { sumSquares: 100 * 100 * 9 });
    expect(few.score).toBeLessThan(0.95);
    expect(few.verdict).toBe('insufficient-data'); // effective count 900^2 / 90000 = 9 over 5 pods
    // ... while the same spread made of 900 requests of 1 ms is significant
    expect(analyseBalance([500, 100, 100, 100, 100], undefined, { sumSquares: 900 }).verdict).toBe('imbalanced');
  });

  it('a low score that is not statistically significant is not an alarm', () => {
    // total 50, expected 10 each: chi2 = (100 + 25 + 0 + 0 + 25) / 10 = 15, df 4, p = 0.0047
    const b = analyseBalance([20, 5, 10, 10, 5]);
    expect(b.score).toBeCloseTo(2500 / 3250, 12);
    expect(b.chiSquare).toBeCloseTo(15, 12);
    expect(b.chiSquareP).toBeCloseTo(0.004701, 5);
    expect(b.verdict).toBe('balanced');
  });

  it('honours a custom threshold', () => {
    const counts = [1300, 1000, 1000, 1000, 700];
    const b = analyseBalance(counts);
    expect(b.score).toBeGreaterThan(0.95);
    expect(b.verdict).toBe('balanced');
    expect(analyseBalance(counts, undefined, { threshold: 0.99 }).verdict).toBe('imbalanced');
  });

  it('a single pod is always balanced (df = 0)', () => {
    const b = analyseBalance([1000]);
    expect(b.df).toBe(0);
    expect(b.chiSquareP).toBe(1);
    expect(b.verdict).toBe('balanced');
  });
});

describe('chiSquarePValue', () => {
  it.each([
    [3.841459, 1, 0.05],
    [11.070498, 5, 0.05],
    [13.276704, 4, 0.01],
    [18.466827, 4, 0.001],
    [4, 4, 0.40600585],
  ])('P(chi2 >= %f; df %i) = %f', (x, df, p) => {
    expect(chiSquarePValue(x, df)).toBeCloseTo(p, 6);
  });
});

describe('jain and utilisation', () => {
  it('jain of all-on-one is 1/n', () => {
    expect(jain([10, 0, 0, 0])).toBeCloseTo(0.25, 12);
  });
  it('a pod busy five times as long shows in the utilisation view', () => {
    const u = utilisationBalance([5, 1, 1, 1, 1]);
    expect(u).toBeCloseTo(81 / (5 * 29), 12);
    expect(utilisationBalance([2, 1], [2, 1])).toBeCloseTo(1, 12);
  });
});

describe('sampling noise of a random policy never raises an alarm', () => {
  it('2,000 seeded runs of 5,000 uniform picks over 5 pods: none imbalanced', () => {
    const rng = seededRandom(42);
    let imbalanced = 0;
    let minScore = 1;
    for (let run = 0; run < 2000; run++) {
      const counts = [0, 0, 0, 0, 0];
      for (let i = 0; i < 5000; i++) counts[Math.floor(rng.next() * 5)]++;
      const b = analyseBalance(counts);
      if (b.verdict === 'imbalanced') imbalanced++;
      minScore = Math.min(minScore, b.score);
    }
    expect(imbalanced).toBe(0);
    expect(minScore).toBeGreaterThan(0.99);
  });
  it('even small windows (50 requests) of a random policy stay below the false-alarm rate alpha', () => {
    const rng = seededRandom(7);
    let imbalanced = 0;
    const runs = 20000;
    for (let run = 0; run < runs; run++) {
      const counts = [0, 0, 0, 0, 0];
      for (let i = 0; i < 50; i++) counts[Math.floor(rng.next() * 5)]++;
      if (analyseBalance(counts).verdict === 'imbalanced') imbalanced++;
    }
    // alpha = 0.001: expect about 20 of 20,000; allow 3x for the chi-square approximation
    expect(imbalanced / runs).toBeLessThan(0.003);
  });
});
