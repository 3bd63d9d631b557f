import { describe, expect, it } from '@jest/globals';
import { TestRun, type RunDeps } from '../../src/runs/test-run.js';
import type { RunTick } from '../../src/runs/run-events.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { lat, noErrors, podCounts, ScriptedLoad, scriptedHarness, scriptedTick } from '../helpers/scripted-load.js';

function pods(counts: Record<string, number>) {
  return podCounts(counts);
}
const tick = (second: number, counts: Record<string, number>) => scriptedTick(second, counts);
const errors = noErrors;
const harness = scriptedHarness;

const spec = parseTestSpec({ name: 't', target: { kind: 'lab', pods: 3 }, load: { model: 'open', stages: [{ rate: 300, duration: '3s' }] }, thresholds: { p99: '100ms' } });

describe('TestRun', () => {
  it('scores each window and the run, and builds the Result', async () => {
    const up = ['pod-1', 'pod-2', 'pod-3'];
    const h = harness(() => up.map((name) => ({ name, eligible: true, concurrency: 4 })));
    const run = new TestRun(spec, h.deps, 'run-1');
    const ticks: RunTick[] = [];
    run.on('tick', (t) => ticks.push(t));
    await run.start();
    expect(run.status).toBe('running');
    h.load.emit('tick', tick(1, { 'pod-1': 100, 'pod-2': 100, 'pod-3': 100 }));
    h.load.emit('tick', tick(2, { 'pod-1': 300, 'pod-2': 0, 'pod-3': 0 }));
    h.load.finish({
      startedAt: 0, endedAt: Date.parse('2026-11-29T12:00:02Z'), durationMs: 2000, stoppedEarly: false, requests: 600, errors: errors(),
      statusCodes: { 200: 600 }, latency: lat(5), pods: pods({ 'pod-1': 400, 'pod-2': 100, 'pod-3': 100 }), timeline: [], workers: 1, dropped: 0,
    });
    const r = await run.finished;
    expect(ticks.map((t) => t.window.verdict)).toEqual(['balanced', 'imbalanced']);
    expect(ticks[0].window.score).toBe(1);
    // no busy time from this target: judged on requests
    expect(ticks[0].window.balance).toMatchObject({ basis: 'requests', utilisation: null });
    expect(r.status).toBe('finished');
    expect(r.id).toBe('run-1');
    expect(r.totals).toEqual({ requests: 600, errors: 0, rps: 300, errorRate: 0, dropped: 0 });
    expect(r.pods.map((p) => [p.name, p.requests, p.expectedShare])).toEqual([['pod-1', 400, 1 / 3], ['pod-2', 100, 1 / 3], ['pod-3', 100, 1 / 3]]);
    // whole run: x = 400,100,100 → J = 600² / (3 · 180000) = 2/3
    expect(r.balance.score).toBeCloseTo(2 / 3, 10);
    expect(r.balance.verdict).toBe('imbalanced');
    expect(r.thresholds).toEqual([
      { name: 'balance', limit: 0.95, value: r.balance.score, pass: false },
      { name: 'p99', limit: 0.1, value: 0.01, pass: true },
    ]);
    expect(r.latency).toEqual({ mean: 0.005, p50: 0.005, p90: 0.005, p99: 0.01, max: 0.015 });
    expect(r.timeline).toHaveLength(2);
    expect(h.closedCount()).toBe(1);
  });

  it('ticks carry the recent verdict: thin windows are judged pooled with the ones before them', async () => {
    const up = ['pod-1', 'pod-2', 'pod-3'];
    const h = harness(() => up.map((name) => ({ name, eligible: true, concurrency: 4 })));
    const run = new TestRun(spec, h.deps);
    const ticks: RunTick[] = [];
    run.on('tick', (t) => ticks.push(t));
    await run.start();
    // 12 requests a second, all on pod-1: 4 expected per pod is too few alone, 8 over two seconds is not
    for (let s = 1; s <= 3; s++) h.load.emit('tick', tick(s, { 'pod-1': 12, 'pod-2': 0, 'pod-3': 0 }));
    h.load.finish({
      startedAt: 0, endedAt: Date.parse('2026-11-29T12:00:03Z'), durationMs: 3000, stoppedEarly: false, requests: 36, errors: errors(),
      statusCodes: { 200: 36 }, latency: lat(5), pods: pods({ 'pod-1': 36, 'pod-2': 0, 'pod-3': 0 }), timeline: [], workers: 1, dropped: 0,
    });
    await run.finished;
    expect(ticks.map((t) => t.window.verdict)).toEqual(['insufficient-data', 'insufficient-data', 'insufficient-data']);
    expect(ticks.map((t) => t.recent)).toEqual([
      { verdict: 'insufficient-data', windows: 1 },
      { verdict: 'imbalanced', windows: 2 },
      { verdict: 'imbalanced', windows: 2 },
    ]);
  });

  it('judges work where the target reports busy time: a slow pod with an even share of requests is imbalanced', async () => {
    const busy: Record<string, number> = { 'pod-1': 0, 'pod-2': 0, 'pod-3': 0 };
    const sq: Record<string, number> = { 'pod-1': 0, 'pod-2': 0, 'pod-3': 0 };
    const serve = (pod: string, n: number, ms: number) => {
      busy[pod] += n * ms;
      sq[pod] += n * ms * ms;
    };
    const h = harness(() => Object.keys(busy).map((name) => ({ name, eligible: true, busyMs: busy[name], busySqMs: sq[name], concurrency: 4 })));
    const run = new TestRun(spec, h.deps);
    const ticks: RunTick[] = [];
    run.on('tick', (t) => ticks.push(t));
    await run.start();
    // pod-3 takes 25 ms a request, the others 5 ms; requests are split evenly
    serve('pod-1', 100, 5);
    serve('pod-2', 100, 5);
    serve('pod-3', 100, 25);
    h.load.emit('tick', tick(1, { 'pod-1': 100, 'pod-2': 100, 'pod-3': 100 }));
    await new Promise((r) => setImmediate(r));
    // then the slow pod gets a fifth of the others' requests: the work is even
    serve('pod-1', 250, 5);
    serve('pod-2', 250, 5);
    serve('pod-3', 50, 25);
    h.load.emit('tick', tick(2, { 'pod-1': 250, 'pod-2': 250, 'pod-3': 50 }));
    h.load.finish({
      startedAt: 0, endedAt: 0, durationMs: 2000, stoppedEarly: false, requests: 850, errors: errors(), statusCodes: {}, latency: lat(1),
      pods: pods({ 'pod-1': 350, 'pod-2': 350, 'pod-3': 150 }), timeline: [], workers: 1, dropped: 0,
    });
    const r = await run.finished;
    expect(ticks[0].window.balance).toMatchObject({ basis: 'utilisation', verdict: 'imbalanced', requestScore: 1 });
    expect(ticks[0].window.balance.score).toBeCloseTo(49 / 81, 10); // x = 1, 1, 5: 7² / (3 · 27)
    expect(ticks[1].window.balance).toMatchObject({ basis: 'utilisation', verdict: 'balanced', score: 1 });
    expect(ticks[1].window.balance.requestScore).toBeLessThan(0.8);
    expect(r.balance.basis).toBe('utilisation');
    expect(r.balance.utilisation).toBe(r.balance.score);
    expect(r.timeline[0]).toMatchObject({ basis: 'utilisation', requestScore: 1 });
  });

  it('judges a pod only on the windows it was eligible in (a failed pod is not an imbalance)', async () => {
    let second = 0;
    const h = harness(() => ['pod-1', 'pod-2', 'pod-3'].map((name) => ({ name, eligible: !(name === 'pod-3' && second >= 2) })));
    const run = new TestRun(spec, h.deps);
    await run.start();
    second = 1;
    h.load.emit('tick', tick(1, { 'pod-1': 100, 'pod-2': 100, 'pod-3': 100 }));
    await new Promise((r) => setImmediate(r));
    second = 2;
    h.load.emit('tick', tick(2, { 'pod-1': 150, 'pod-2': 150 }));
    h.load.finish({
      startedAt: 0, endedAt: 0, durationMs: 2000, stoppedEarly: false, requests: 600, errors: errors(), statusCodes: {}, latency: lat(1),
      pods: pods({ 'pod-1': 250, 'pod-2': 250, 'pod-3': 100 }), timeline: [], workers: 1, dropped: 0,
    });
    const r = await run.finished;
    // expected: pod-1 100 + 150, pod-2 100 + 150, pod-3 100 → exactly what happened
    expect(r.balance.score).toBeCloseTo(1, 10);
    expect(r.balance.verdict).toBe('balanced');
    expect(r.pods.find((p) => p.name === 'pod-3')?.expectedShare).toBeCloseTo(100 / 600, 10);
  });

  it('stop() ends the load and marks the run stopped', async () => {
    const h = harness(() => []);
    const run = new TestRun(spec, h.deps);
    await run.start();
    run.stop();
    expect(h.load.stopped).toBe(true);
    h.load.finish({ startedAt: 0, endedAt: 0, durationMs: 500, stoppedEarly: true, requests: 0, errors: errors(), statusCodes: {}, latency: lat(0), pods: {}, timeline: [], workers: 1, dropped: 0 });
    expect((await run.finished).status).toBe('stopped');
  });

  it('a target that fails to open gives a failed Result, not an exception', async () => {
    const deps: RunDeps = { openTarget: async () => { throw new Error('port in use'); }, startLoad: () => new ScriptedLoad() };
    const run = new TestRun(spec, deps);
    await run.start();
    const r = await run.finished;
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({ code: 'engine_error', message: 'port in use' });
    expect(r.totals.requests).toBe(0);
  });
});
