import { describe, expect, it } from '@jest/globals';
import type { Result, TimelinePoint } from '../../src/core/result.js';
import { TestRun, type RunDeps } from '../../src/runs/test-run.js';
import { recordRun } from '../../src/store/record-run.js';
import type { ResultStore } from '../../src/store/result-store.js';
import { ScriptedLoad, scriptedHarness, scriptedReport, scriptedTick } from '../helpers/scripted-load.js';
import { labSpec, useTempStore } from './sample-data.js';

const pods3 = () => ['pod-1', 'pod-2', 'pod-3'].map((name) => ({ name, eligible: true }));
/** Lets the run score queued ticks (they are chained on promises). */
const settle = () => new Promise((r) => setImmediate(r));

describe('recordRun', () => {
  const ctx = useTempStore();

  it('begins on running, appends each tick as a sample, and stores the final Result', async () => {
    const h = scriptedHarness(pods3);
    const run = new TestRun(labSpec('recorded'), h.deps, 'rec-1');
    recordRun(ctx.store, run);
    await run.start();
    expect(ctx.store.get('rec-1')?.status).toBe('running');

    h.load.emit('tick', scriptedTick(1, { 'pod-1': 100, 'pod-2': 100, 'pod-3': 100 }));
    h.load.emit('tick', scriptedTick(2, { 'pod-1': 300 }));
    await settle();
    await settle();
    const live = ctx.store.get('rec-1');
    expect(live?.timeline.map((p) => [p.t, p.requests, p.verdict])).toEqual([[1, 300, 'balanced'], [2, 300, 'imbalanced']]);
    // samples keep the TimelinePoint shape: no nested balance
    expect(Object.keys(live?.timeline[0] ?? {}).sort()).toEqual(
      ['basis', 'errors', 'inflight', 'latency', 'pods', 'requestScore', 'requests', 'rps', 'score', 't', 'users', 'utilisation', 'verdict'],
    );
    expect(ctx.store.list().items[0]).toMatchObject({ id: 'rec-1', status: 'running', requests: 600, verdict: 'imbalanced' });

    h.load.finish(scriptedReport(2, { 'pod-1': 400, 'pod-2': 100, 'pod-3': 100 }, Date.parse('2026-11-29T12:00:02Z')));
    const result = await run.finished;
    const stored = ctx.store.get('rec-1');
    expect(stored).toEqual(JSON.parse(JSON.stringify(result)) as Result);
    expect(stored?.status).toBe('finished');
    expect(ctx.store.list().items[0]).toMatchObject({ status: 'finished', requests: 600, endedAt: '2026-11-29T12:00:02.000Z' });
    expect(ctx.store.markInterrupted()).toEqual([]);
  });

  it('stores a run whose target never opened', async () => {
    const deps: RunDeps = { openTarget: async () => Promise.reject(new Error('port in use')), startLoad: () => new ScriptedLoad() };
    const run = new TestRun(labSpec(), deps, 'rec-fail');
    recordRun(ctx.store, run);
    await run.start();
    await run.finished;
    expect(ctx.store.get('rec-fail')).toMatchObject({ status: 'failed', error: { code: 'engine_error', message: 'port in use' } });
  });

  it('never throws into the run: ctx.store failures go to onError and the run completes', async () => {
    const failing: ResultStore = {
      ...({} as ResultStore),
      begin: () => {
        throw new Error('disk full');
      },
      appendSample: (_id: string, _p: TimelinePoint) => {
        throw new Error('disk still full');
      },
      finish: () => {
        throw new Error('still');
      },
    };
    const seen: string[] = [];
    const h = scriptedHarness(pods3);
    const run = new TestRun(labSpec(), h.deps, 'rec-err');
    recordRun(failing, run, {
      onError: (err, ctx) => {
        seen.push(`${ctx.op}:${ctx.id}:${(err as Error).message}`);
        throw new Error('and the reporter breaks too');
      },
    });
    await run.start();
    h.load.emit('tick', scriptedTick(1, { 'pod-1': 10 }));
    h.load.finish(scriptedReport(1, { 'pod-1': 10 }));
    const r = await run.finished;
    expect(r.status).toBe('finished');
    expect(seen).toEqual(['begin:rec-err:disk full', 'appendSample:rec-err:disk still full', 'finish:rec-err:still']);
  });

  it('begins at once when subscribed to a run that is already running, and detaches on request', async () => {
    const h = scriptedHarness(pods3);
    const run = new TestRun(labSpec(), h.deps, 'rec-late');
    await run.start();
    const detach = recordRun(ctx.store, run);
    expect(ctx.store.get('rec-late')?.status).toBe('running');
    detach();
    h.load.emit('tick', scriptedTick(1, { 'pod-1': 10 }));
    await settle();
    expect(ctx.store.get('rec-late')?.timeline).toEqual([]);
    expect(run.listenerCount('tick')).toBe(0);
  });
});
