import { describe, expect, it } from '@jest/globals';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { finishedResult, labSpec, point, useTempStore } from './sample-data.js';

/** The auto-tuner's decisions are stored with the run and come back with its Result after a restart. */
describe('tuning records of a run', () => {
  const ctx = useTempStore();
  const T0 = '2026-11-29T12:00:00.000Z';

  it('a finished run and a run that was running when the engine died both carry their tuning after a restart', () => {
    const spec = labSpec();
    const decision = { id: 'd1', at: '2026-11-29T12:00:08.000Z', testId: 'r1', trigger: 'closed-loop', action: 'applied', note: 'applied l7 least-connections', winner: { id: 'l7 least-connections' } };
    const revert = { action: 'reverted', from: { policy: 'least-connections' }, to: { policy: 'round-robin' } };
    ctx.store.begin({ id: 'r1', spec, startedAt: T0 });
    ctx.store.appendEvent('r1', { at: decision.at, type: 'tuning', data: decision });
    ctx.store.appendEvent('r1', { at: '2026-11-29T12:00:09.000Z', type: 'tuning', data: revert });
    ctx.store.appendEvent('r1', { at: '2026-11-29T12:00:09.000Z', type: 'fault-started', data: { id: 'f1', type: 'latency' } });
    ctx.store.finish(finishedResult('r1', spec, T0, [point(1, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 })]));
    ctx.store.begin({ id: 'r2', spec, startedAt: T0 });
    ctx.store.appendSample('r2', point(1, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 }));
    ctx.store.appendEvent('r2', { at: decision.at, type: 'tuning', data: { ...decision, testId: 'r2', action: 'kept' } });
    ctx.store.close();

    ctx.store = new SqliteStore(ctx.file);
    expect(ctx.store.markInterrupted()).toEqual(['r2']);
    const r1 = ctx.store.get('r1')!;
    expect(r1.tuning).toEqual([decision, { ...revert, at: '2026-11-29T12:00:09.000Z' }]);
    expect(ctx.store.get('r2')!.tuning?.map((t) => t.action)).toEqual(['kept']);
    // a run the tuner never touched has none
    ctx.store.begin({ id: 'r3', spec, startedAt: T0 });
    expect(ctx.store.get('r3')!.tuning).toBeUndefined();
  });
});
