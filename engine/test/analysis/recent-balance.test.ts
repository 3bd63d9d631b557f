import { describe, expect, it } from '@jest/globals';
import { BalanceTracker, type WindowInput } from '../../src/analysis/balance-tracker.js';
import { RecentBalance } from '../../src/analysis/recent-balance.js';

const PODS = ['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5'];
const window = (counts: Record<string, number>, extra: Partial<WindowInput> = {}): WindowInput => ({ counts, eligible: PODS, windowMs: 1000, ...extra });

/** Feeds windows through a tracker and a RecentBalance, as a run does; returns each recent verdict. */
function feed(windows: WindowInput[], maxWindows?: number) {
  const tracker = new BalanceTracker(() => 1, 0.95);
  const recent = new RecentBalance(tracker, maxWindows);
  return windows.map((w) => {
    const judged = tracker.window(w);
    return { window: judged.verdict, ...recent.push(w, judged) };
  });
}

describe('RecentBalance: the verdict alerts read', () => {
  it('a window that can be judged alone is its own verdict', () => {
    const out = feed([window({ 'pod-1': 100, 'pod-2': 100, 'pod-3': 100, 'pod-4': 100, 'pod-5': 100 }), window({ 'pod-1': 250, 'pod-2': 250 })]);
    expect(out).toEqual([
      { window: 'balanced', verdict: 'balanced', windows: 1 },
      { window: 'imbalanced', verdict: 'imbalanced', windows: 1 },
    ]);
  });

  it('20 requests/s on 2 of 5 pods: every window is too thin, two pooled are imbalanced', () => {
    // 4 expected per pod per second is under the rule of 5; 8 over two seconds is not
    const out = feed(Array.from({ length: 5 }, () => window({ 'pod-1': 10, 'pod-2': 10 })));
    expect(out.map((o) => o.window)).toEqual(Array(5).fill('insufficient-data'));
    expect(out[0]).toEqual({ window: 'insufficient-data', verdict: 'insufficient-data', windows: 1 });
    for (const o of out.slice(1)) expect(o).toMatchObject({ verdict: 'imbalanced', windows: 2 });
  });

  it('20 requests/s spread evenly: pooled and balanced (pooling adds no false alarm)', () => {
    const out = feed(Array.from({ length: 4 }, () => window({ 'pod-1': 4, 'pod-2': 4, 'pod-3': 4, 'pod-4': 4, 'pod-5': 4 })));
    for (const o of out.slice(1)) expect(o).toMatchObject({ window: 'insufficient-data', verdict: 'balanced', windows: 2 });
  });

  it('one thin window in an imbalanced run does not clear the verdict', () => {
    const hot = window({ 'pod-1': 30, 'pod-2': 30 });
    const out = feed([hot, hot, window({ 'pod-1': 3, 'pod-2': 2 }), hot]);
    expect(out.map((o) => o.window)).toEqual(['imbalanced', 'imbalanced', 'insufficient-data', 'imbalanced']);
    expect(out.map((o) => o.verdict)).toEqual(['imbalanced', 'imbalanced', 'imbalanced', 'imbalanced']);
    expect(out[2].windows).toBe(2);
  });

  it('on the work basis too: thin windows of a run with busy time pool their busy time', () => {
    const busy = (a: number, b: number) => ({ 'pod-1': a, 'pod-2': b, 'pod-3': 0, 'pod-4': 0, 'pod-5': 0 });
    const thin = window({ 'pod-1': 10, 'pod-2': 10 }, { busyMs: busy(10, 10), busySqMs: busy(10, 10) });
    const out = feed([thin, thin, thin]);
    expect(out.map((o) => o.window)).toEqual(['insufficient-data', 'insufficient-data', 'insufficient-data']);
    expect(out.slice(1).map((o) => o.verdict)).toEqual(['imbalanced', 'imbalanced']);
  });

  it('pools at most maxWindows: a trickle too thin even then stays insufficient-data', () => {
    const out = feed(Array.from({ length: 6 }, () => window({ 'pod-1': 1 })), 3);
    expect(out.map((o) => o.verdict)).toEqual(Array(6).fill('insufficient-data'));
    expect(out.map((o) => o.windows)).toEqual([1, 2, 3, 3, 3, 3]);
  });

  it('a window with no response is no-data, not pooled away', () => {
    const out = feed([window({ 'pod-1': 50, 'pod-2': 50, 'pod-3': 50, 'pod-4': 50, 'pod-5': 50 }), window({})]);
    expect(out[1]).toEqual({ window: 'no-data', verdict: 'no-data', windows: 1 });
  });
});
