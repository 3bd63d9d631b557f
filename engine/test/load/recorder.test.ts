import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/random.js';
import { classifyError, LoadTimeoutError } from '../../src/load/error-kind.js';
import { NO_POD } from '../../src/load/load-report.js';
import { decodeWindow, encodeWindow, emptyWindow, mergeWindow, Recorder, Totals, windowLatency, type WindowMeta } from '../../src/load/recorder.js';

const meta = (second: number): WindowMeta => ({ second, elapsedMs: second * 1000, scheduled: 0, inflight: 0, users: 0 });

/** Feeds a reproducible mix of responses and failures; `keep(i)` picks which samples this recorder gets. */
function feed(r: Recorder, seed: number, n: number, keep: (i: number) => boolean): void {
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const pod = `pod-${Math.floor(random.next() * 4)}`;
    const latencyUs = Math.floor(-2000 * Math.log(1 - random.next())) + Math.floor(random.next() * 300_000 * Number(random.next() < 0.01));
    const roll = random.next();
    if (!keep(i)) continue;
    if (roll < 0.05) r.failure(roll < 0.02 ? 'timeout' : 'reset', NO_POD);
    else r.response(pod, roll < 0.1 ? 503 : 200, latencyUs);
    if (roll > 0.99) r.drop();
  }
}

describe('Recorder merge', () => {
  it('merging two partial recorders (through the worker encoding) equals one recorder fed all samples', () => {
    const one = new Totals();
    const two = new Totals();
    for (let second = 1; second <= 3; second++) {
      const whole = new Recorder();
      const even = new Recorder();
      const odd = new Recorder();
      feed(whole, second, 20_000, () => true);
      feed(even, second, 20_000, (i) => i % 2 === 0);
      feed(odd, second, 20_000, (i) => i % 2 === 1);
      const merged = emptyWindow(second);
      mergeWindow(merged, decodeWindow(encodeWindow(even.takeWindow(meta(second)))));
      mergeWindow(merged, decodeWindow(encodeWindow(odd.takeWindow(meta(second)))));
      merged.elapsedMs = second * 1000;
      expect(two.add(merged)).toEqual(one.add(whole.takeWindow(meta(second))));
    }
    const times = { startedAt: 0, endedAt: 3000, durationMs: 3000, stoppedEarly: false, workers: 1 };
    const a = one.report(times);
    const b = two.report(times);
    expect(b).toEqual(a);
    expect(a.requests).toBe(60_000);
    expect(a.latency.count + a.errors.timeout + a.errors.reset).toBe(60_000);
    expect(a.statusCodes['503']).toBe(a.errors.status);
    expect(a.dropped).toBeGreaterThan(0);
    expect(a.latency.p99).toBeGreaterThan(a.latency.p50);
    expect(Object.keys(a.pods).sort()).toEqual([NO_POD, 'pod-0', 'pod-1', 'pod-2', 'pod-3']);
  });

  it('a window holds only its own samples and summaries are in milliseconds', () => {
    const r = new Recorder();
    r.response('p', 200, 1500);
    r.response('p', 200, 2500);
    const first = new Totals().add(r.takeWindow(meta(1)));
    expect(first.requests).toBe(2);
    expect(first.latency.max).toBeCloseTo(2.5, 2);
    expect(first.latency.mean).toBeCloseTo(2, 2);
    expect(first.statusCodes).toEqual({ '200': 2 });
    const empty = new Totals().add(r.takeWindow(meta(2)));
    expect(empty.requests).toBe(0);
    expect(empty.latency).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, max: 0, count: 0 });
  });
});

describe('classifyError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 'connect'],
    [{ code: 'UND_ERR_CONNECT_TIMEOUT' }, 'connect'],
    [Object.assign(new AggregateError([{ code: 'ECONNREFUSED' }]), {}), 'connect'],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout'],
    [{ code: 'UND_ERR_BODY_TIMEOUT' }, 'timeout'],
    [new LoadTimeoutError(5), 'timeout'],
    [{ code: 'ECONNRESET' }, 'reset'],
    [{ code: 'UND_ERR_SOCKET' }, 'reset'],
    [{ message: 'x', cause: { code: 'EPIPE' } }, 'reset'],
    [new Error('odd'), 'other'],
    ['not even an error', 'other'],
  ])('%o → %s', (err, kind) => {
    expect(classifyError(err)).toBe(kind);
  });
});

describe('windowLatency', () => {
  it("counts each pod's responses into the Prometheus buckets as they arrive (a value on a bound counts in it), through the worker encoding and merge too", () => {
    const a = new Recorder();
    const b = new Recorder();
    for (const us of [400, 500, 501]) a.response('pod-1', 200, us);
    b.response('pod-1', 200, 12_000_000);
    for (let i = 0; i < 5; i++) b.response('pod-2', 503, 250_000);
    b.failure('connect', NO_POD);
    const w = emptyWindow(1);
    mergeWindow(w, decodeWindow(encodeWindow(a.takeWindow(meta(1)))));
    mergeWindow(w, decodeWindow(encodeWindow(b.takeWindow(meta(1)))));
    const values = windowLatency(w);
    // bounds 0.0005, 0.001, ..., 10 s, then +Inf
    expect(Array.from(values['pod-1'].counts)).toEqual([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(values['pod-1'].sum).toBeCloseTo(12.001401, 9);
    expect(Array.from(values['pod-2'].counts)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0]);
    expect(values['pod-2'].sum).toBeCloseTo(1.25, 9);
    // a request without a response has no latency
    expect(Array.from(values[NO_POD].counts).every((n) => n === 0)).toBe(true);
  });
});
