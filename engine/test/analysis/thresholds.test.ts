import { describe, expect, it } from '@jest/globals';
import { ImbalanceDetector } from '../../src/analysis/detector.js';
import { BalanceTracker } from '../../src/analysis/balance-tracker.js';
import { judgeRun } from '../../src/analysis/run-judgement.js';
import { evaluateThresholds } from '../../src/analysis/thresholds.js';

describe('evaluateThresholds', () => {
  it('passes and fails each threshold on its own, times in seconds', () => {
    const r = evaluateThresholds(
      { balance: 0.95, p99Ms: 500, errorRate: 0.01 },
      { score: 0.9, verdict: 'imbalanced', p99Ms: 120, errorRate: 0.02 },
    );
    expect(r).toEqual([
      { name: 'balance', limit: 0.95, value: 0.9, pass: false },
      { name: 'p99', limit: 0.5, value: 0.12, pass: true },
      { name: 'errorRate', limit: 0.01, value: 0.02, pass: false },
    ]);
  });
  it('a low score that is only noise passes the balance threshold', () => {
    const [b] = evaluateThresholds({ balance: 0.95 }, { score: 0.9, verdict: 'balanced', p99Ms: 0, errorRate: 0 });
    expect(b.pass).toBe(true);
  });
  it('a verdict that could not be judged fails the balance threshold, with its reason', () => {
    for (const verdict of ['no-data', 'insufficient-data'] as const) {
      const [b] = evaluateThresholds({ balance: 0.95 }, { score: 0, verdict, reason: 'why', p99Ms: 0, errorRate: 0 });
      expect(b).toEqual({ name: 'balance', limit: 0.95, value: 0, pass: false, reason: 'why' });
    }
  });
  it('a run without one successful response fails, whatever was configured', () => {
    expect(evaluateThresholds({}, { score: 0, verdict: 'no-data', reason: 'target down', p99Ms: 0, errorRate: 1, okResponses: 0 })).toEqual([
      { name: 'responses', limit: 1, value: 0, pass: false, reason: 'target down' },
    ]);
    expect(evaluateThresholds({}, { score: 1, verdict: 'balanced', p99Ms: 0, errorRate: 0.5, okResponses: 10 })).toEqual([]);
  });
  it('evaluates only what is configured', () => {
    expect(evaluateThresholds({}, { score: 0, verdict: 'imbalanced', p99Ms: 1e9, errorRate: 1 })).toEqual([]);
  });
});

describe('ImbalanceDetector', () => {
  it('fires after N consecutive imbalanced windows; balanced resets, insufficient-data does not', () => {
    const d = new ImbalanceDetector(3);
    expect(d.push('imbalanced')).toBe(false);
    expect(d.push('insufficient-data')).toBe(false);
    expect(d.push('imbalanced')).toBe(false);
    expect(d.push('imbalanced')).toBe(true);
    expect(d.push('balanced')).toBe(false);
    expect(d.consecutive).toBe(0);
    expect(() => new ImbalanceDetector(0)).toThrow(RangeError);
  });
});

describe('judgeRun', () => {
  const window = new BalanceTracker(() => 1, 0.95).window({ counts: { a: 100, b: 100 }, eligible: ['a', 'b'] });
  const figures = { requests: 200, errors: 0, errorsByKind: { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 }, unattributed: 0, attributed: 200, p99Ms: 10, thresholds: { balance: 0.95, errorRate: 0.01 } };
  it('requests the open model dropped count as failed in the error rate and its threshold (as k6 dropped iterations)', () => {
    const r = judgeRun(window, { ...figures, dropped: 50 });
    expect(r.errorRate).toBeCloseTo(50 / 250, 12);
    expect(r.thresholds.find((t) => t.name === 'errorRate')).toMatchObject({ value: 50 / 250, pass: false });
    expect(judgeRun(window, { ...figures, dropped: 0 }).thresholds.every((t) => t.pass)).toBe(true);
  });
});
