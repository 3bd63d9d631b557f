import { describe, expect, it } from '@jest/globals';
import { analyseBalance } from '../../src/analysis/balance.js';
import { BalanceTracker } from '../../src/analysis/balance-tracker.js';
import { judgeRun, type RunFigures } from '../../src/analysis/run-judgement.js';
import { evaluateThresholds } from '../../src/analysis/thresholds.js';

const noErrors = { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 };
function figures(requests: number, maxShareRatio: number): RunFigures {
  return { requests, errors: 0, errorsByKind: noErrors, dropped: 0, unattributed: 0, attributed: requests, p99Ms: 10, thresholds: { balance: 0.95, maxShareRatio } };
}
const names = (n: number) => Array.from({ length: n }, (_, i) => `pod-${i + 1}`);

describe('maxShareRatio: the hottest pod against its own expected share', () => {
  it('50 pods, one at twice its share: Jain passes 0.95, a 1.5× limit fails naming the pod', () => {
    const pods = names(50);
    const counts = Object.fromEntries(pods.map((p) => [p, p === 'pod-17' ? 2000 : 1000]));
    const tracker = new BalanceTracker(() => 1, 0.95);
    tracker.window({ counts, eligible: pods });
    const total = tracker.total();
    // J = 51000² / (50 · (49·1000² + 2000²)) = 0.9815: the balance threshold cannot see it.
    expect(total.score).toBeCloseTo(51000 ** 2 / (50 * (49e6 + 4e6)), 12);
    expect(total.score).toBeGreaterThanOrEqual(0.95);
    expect(total.maxMean).toBeCloseTo(2000 / 51000 / (1 / 50), 12);
    const r = judgeRun(total, figures(51000, 1.5));
    expect(r.thresholds.find((t) => t.name === 'balance')?.pass).toBe(true);
    const m = r.thresholds.find((t) => t.name === 'maxShareRatio');
    expect(m).toMatchObject({ limit: 1.5, pass: false, pod: 'pod-17' });
    expect(m?.value).toBeCloseTo(1.9608, 4);
    expect(m?.reason).toContain('pod-17');
    expect(m?.reason).toContain('1.96×');
    // the order is fixed: balance, then maxShareRatio
    expect(r.thresholds.map((t) => t.name)).toEqual(['balance', 'maxShareRatio']);
    expect(judgeRun(total, figures(51000, 2)).thresholds.find((t) => t.name === 'maxShareRatio')).toMatchObject({ pass: true, pod: 'pod-17' });
  });

  it('honours expected shares: requests split as the weights say pass; the plain mean would mislead', () => {
    expect(analyseBalance([3000, 1000, 1000], [3, 1, 1]).maxMean).toBeCloseTo(1, 12);
    // shares .4/.3/.3 against .6/.2/.2: pod-2 takes 1.5× its share (max over the unweighted
    // mean of x_i would say 7500 / 6111 = 1.23 and let it through a 1.4× limit).
    const b = analyseBalance([2000, 1500, 1500], [3, 1, 1]);
    expect(b.maxMean).toBeCloseTo(1.5, 12);
    expect(b.hottest).toBe(1);
    const tracker = new BalanceTracker((p) => (p === 'pod-1' ? 3 : 1), 0.95, true);
    tracker.window({ counts: { 'pod-1': 2000, 'pod-2': 1500, 'pod-3': 1500 }, eligible: names(3) });
    const t = judgeRun(tracker.total(), figures(5000, 1.4)).thresholds.find((x) => x.name === 'maxShareRatio');
    expect(t).toMatchObject({ pass: false, pod: 'pod-2' });
    expect(t?.value).toBeCloseTo(1.5, 12);
  });

  it('judges the run basis: on utilisation, the pod doing the most work per slot', () => {
    const tracker = new BalanceTracker(() => 1, 0.95);
    // even requests, but pod-2 is busy three times as long: its work share is 3/5 against 1/3
    tracker.window({ counts: { 'pod-1': 100, 'pod-2': 100, 'pod-3': 100 }, eligible: names(3), busyMs: { 'pod-1': 1000, 'pod-2': 3000, 'pod-3': 1000 } });
    const total = tracker.total();
    expect(total.basis).toBe('utilisation');
    expect(total.maxMean).toBeCloseTo((3 / 5) * 3, 12);
    expect(judgeRun(total, figures(300, 1.5)).thresholds.find((x) => x.name === 'maxShareRatio')).toMatchObject({ pass: false, pod: 'pod-2' });
  });

  it('a declared pod that stays silent raises the others, and is never the hottest', () => {
    const tracker = new BalanceTracker(() => 1, 0.95);
    tracker.window({ counts: { 'pod-1': 500, 'pod-2': 500 }, eligible: ['pod-1', 'pod-2'] });
    const total = tracker.total(['pod-1', 'pod-2', 'pod-3', 'pod-4']);
    expect(total.maxMean).toBeCloseTo(2, 12);
    expect(total.pods[total.hottest]).toBe('pod-1');
  });

  it('no data: nothing to judge fails the limit with the reason, never passes for even', () => {
    const b = analyseBalance([0, 0, 0]);
    expect(b).toMatchObject({ maxMean: 0, hottest: -1, verdict: 'no-data' });
    const [t] = evaluateThresholds({ maxShareRatio: 1.5 }, { score: 0, verdict: 'no-data', maxShareRatio: 0, reason: 'the target is down', p99Ms: 0, errorRate: 0 });
    expect(t).toEqual({ name: 'maxShareRatio', limit: 1.5, value: 0, pass: false, reason: 'the target is down' });
    const tracker = new BalanceTracker(() => 1, 0.95);
    tracker.window({ counts: {}, eligible: names(3) });
    const r = judgeRun(tracker.total(), { ...figures(0, 1.5), attributed: 0 });
    const m = r.thresholds.find((x) => x.name === 'maxShareRatio');
    expect(m).toMatchObject({ pass: false, value: 0 });
    expect(m?.pod).toBeUndefined();
    expect(m?.reason).toBeTruthy();
  });

  it('insufficient data fails it too, as it fails the balance threshold', () => {
    const [t] = evaluateThresholds({ maxShareRatio: 3 }, { score: 0.9, verdict: 'insufficient-data', maxShareRatio: 1.2, hottest: 'pod-1', p99Ms: 0, errorRate: 0 });
    expect(t).toMatchObject({ pass: false, pod: 'pod-1', value: 1.2 });
    expect(t.reason).toContain('insufficient-data');
  });
});
