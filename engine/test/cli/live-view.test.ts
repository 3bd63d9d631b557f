import { describe, expect, it } from '@jest/globals';
import { LiveView, plainLine, render } from '../../src/cli/live-view.js';
import { renderReport } from '../../src/cli/report.js';
import type { BalanceResult, Result } from '../../src/core/result.js';
import type { RunTick } from '../../src/runs/run-events.js';
import { parseTestSpec } from '../../src/spec/validate.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** A pod name as a target might send it: the header allows bytes 0x80-0xFF, and U+009B is a one-byte CSI. */
const EVIL_POD = 'pod-1\u009b2J\u001b]0;title\u0007';

const balance: BalanceResult = { score: 1, cov: 0, maxMean: 1, chiSquareP: 1, verdict: 'balanced', basis: 'requests', requestScore: 1, utilisation: null };
function tick(elapsed: number, partial = false): RunTick {
  return {
    id: 'r1',
    name: 't',
    elapsed,
    expectedDuration: 10,
    window: { t: elapsed, requests: 20, errors: 0, rps: 200, latency: { p50: 0.001, p99: 0.002 }, pods: { [EVIL_POD]: 10, 'pod-2': 10 }, score: 1, verdict: 'balanced', utilisation: null, inflight: 0, users: 0, ...(partial ? { partial: true as const } : {}), balance },
    pods: [EVIL_POD, 'pod-2'].map((name) => ({ name, requests: 10, share: 0.5, expectedShare: 0.5, errors: 0, latency: { p50: 0.001, p99: 0.002 }, eligible: true })),
    totals: { requests: 40, errors: 0, balance },
  };
}
const spec = parseTestSpec({ target: { kind: 'lab', pods: 2 }, load: { model: 'open', rate: 20, duration: '10s' } });

describe('the live view', () => {
  it('draws the whole frame on a terminal that reports no size (0 × 0), instead of nothing', () => {
    let out = '';
    const view = new LiveView({ isTTY: true, columns: 0, rows: 0, write: (s: string | Uint8Array) => ((out += String(s)), true) } as never, false);
    view.tick(tick(3), spec);
    view.done();
    const text = out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    for (const needle of ['pod-2', 'window  200 req/s', 'total   40 req', '3s / 10s']) expect(text).toContain(needle);
  });

  it('shows pod names from the target without their control characters, in the frame and the plain lines', () => {
    const frame = render(tick(3), spec, false, 120);
    expect(frame).not.toMatch(CONTROL);
    expect(frame).toMatch(/\npod-1 +10 /);
    expect(frame).not.toContain('title');
    expect(plainLine(tick(3))).not.toMatch(CONTROL);
  });

  it('labels a partial last window (a run stopped early) in the frame and the plain line', () => {
    expect(plainLine(tick(3.4, true))).toMatch(/^t=3\.4s partial rps=200 /);
    expect(render(tick(3.4, true), spec, false, 120)).toContain('window  (last 0.4s, partial) 200 req/s');
    expect(plainLine(tick(3))).toMatch(/^t=3s rps=200 /);
  });

  it('the final report prints a run error from outside without its control characters', () => {
    const r = { spec, status: 'failed', error: { code: 'engine_error', message: 'target said \u001b[2Jgoodbye' }, duration: 0, totals: { requests: 0, errors: 0, rps: 0, errorRate: 0, dropped: 0 }, errorsByKind: { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 }, latency: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 }, pods: [{ name: EVIL_POD, requests: 0, share: 0, expectedShare: 0.5, errors: 0, latency: { p50: 0, p99: 0 }, eligible: true }], balance, thresholds: [] } as unknown as Result;
    const text = renderReport(r, false);
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('error: target said goodbye (engine_error)');
  });
});
