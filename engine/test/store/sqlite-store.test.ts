import { describe, expect, it } from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import { ScaleError } from '../../src/core/errors.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { finishedResult, labSpec, point, useTempStore } from './sample-data.js';

const T0 = '2026-11-29T12:00:00.000Z';
/** The ScaleError code `fn` throws, or what else happened. */
function code(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    return err instanceof ScaleError ? err.code : String(err);
  }
  return 'no error';
}
const at = (min: number) => new Date(Date.parse(T0) + min * 60_000).toISOString();

describe('SqliteStore', () => {
  const ctx = useTempStore();

  it('creates the directory and opens the file in WAL mode', () => {
    const raw = new BetterSqlite3(ctx.file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('round-trips begin, samples and finish; get() returns the stored Result', () => {
    const spec = labSpec();
    ctx.store.begin({ id: 'r1', spec, startedAt: '2026-11-29T13:00:00+01:00' });
    ctx.store.appendSample('r1', point(1, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 }));
    ctx.store.appendSample('r1', point(2, { 'pod-1': 20, 'pod-2': 10, 'pod-3': 10 }));

    const live = ctx.store.get('r1');
    expect(live?.status).toBe('running');
    expect(live?.startedAt).toBe(T0); // normalised to UTC
    expect(live?.endedAt).toBeNull();
    expect(live?.totals.requests).toBe(70);
    expect(live?.timeline).toHaveLength(2);
    expect(ctx.store.list().items[0]).toMatchObject({ id: 'r1', status: 'running', requests: 70, rps: 35 });
    // no outcome yet while it runs
    expect(ctx.store.list().items[0]).not.toHaveProperty('thresholds');

    const final = finishedResult('r1', spec, T0, [point(1, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 }), point(2, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 })]);
    final.error = undefined;
    ctx.store.finish(final);
    expect(ctx.store.get('r1')).toEqual(final);
    expect(ctx.store.list().items[0]).toEqual({
      id: 'r1', name: 'spike', status: 'finished', startedAt: T0, endedAt: '2026-11-29T12:00:02.000Z', requests: 60, errors: 0, rps: 30,
      score: 1, verdict: 'balanced', basis: 'requests', requestScore: 1, policy: 'least-connections', targetKind: 'lab', thresholds: final.thresholds,
    });
    expect(final.thresholds).toEqual([{ name: 'balance', limit: 0.95, value: 1, pass: true }]);
    expect(ctx.store.get('nope')).toBeUndefined();
  });

  it('lists the basis of each score and the request score: of the last window while running, of the Result once ended', () => {
    const spec = labSpec();
    ctx.store.begin({ id: 'w', spec, startedAt: T0 });
    // before any window the run has no request score; its score will be on requests until a window says otherwise
    expect(ctx.store.list().items[0]).toMatchObject({ basis: 'requests' });
    expect(ctx.store.list().items[0]).not.toHaveProperty('requestScore');
    ctx.store.appendSample('w', { ...point(1, { 'pod-1': 30, 'pod-2': 10, 'pod-3': 10 }), score: 0.98, basis: 'utilisation', requestScore: 0.7 });
    expect(ctx.store.list().items[0]).toMatchObject({ score: 0.98, basis: 'utilisation', requestScore: 0.7 });
    // a window of an older load generator names no basis: it was judged on requests
    ctx.store.appendSample('w', { ...point(2, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 }), score: 0.9 });
    expect(ctx.store.list().items[0]).toMatchObject({ score: 0.9, basis: 'requests', requestScore: 0.9 });

    const final = finishedResult('w', spec, T0, [point(1, { 'pod-1': 30, 'pod-2': 10, 'pod-3': 10 })]);
    final.balance = { ...final.balance, score: 0.97, verdict: 'balanced', basis: 'utilisation', utilisation: 0.97 };
    ctx.store.finish(final);
    const ended = ctx.store.list().items[0];
    expect(ended).toMatchObject({ score: 0.97, verdict: 'balanced', basis: 'utilisation', requestScore: final.balance.requestScore });
    expect(ended.requestScore).toBeLessThan(0.9);
  });

  it('finish() alone stores a run that failed before it began; begin twice is a conflict', () => {
    const failed = finishedResult('f1', labSpec(), T0, [], 'failed');
    failed.error = { code: 'engine_error', message: 'port in use' };
    ctx.store.finish(failed);
    expect(ctx.store.get('f1')).toEqual(failed);
    expect(code(() => ctx.store.begin({ id: 'f1', spec: labSpec(), startedAt: T0 }))).toBe('conflict');
  });

  it('rejects samples and events of an unknown run with not_found', () => {
    expect(code(() => ctx.store.appendSample('ghost', point(1, {})))).toBe('not_found');
    expect(code(() => ctx.store.appendEvent('ghost', { at: T0, type: 'fault-injected', data: {} }))).toBe('not_found');
    expect(code(() => ctx.store.begin({ id: 'x', spec: labSpec(), startedAt: 'yesterday' }))).toBe('invalid_input');
  });

  it('lists newest first with paging, filters and a total', () => {
    for (let i = 0; i < 7; i++) {
      const spec = labSpec(i % 2 === 0 ? 'even' : 'odd');
      ctx.store.finish(finishedResult(`run-${i}`, spec, at(i), [point(1, { 'pod-1': i, 'pod-2': i, 'pod-3': i })], i === 3 ? 'stopped' : 'finished'));
    }
    ctx.store.begin({ id: 'live', spec: labSpec('odd'), startedAt: at(10) });

    const all = ctx.store.list();
    expect(all.total).toBe(8);
    expect(all.items.map((s) => s.id)).toEqual(['live', 'run-6', 'run-5', 'run-4', 'run-3', 'run-2', 'run-1', 'run-0']);

    const page = ctx.store.list({ limit: 3, offset: 3 });
    expect(page).toMatchObject({ total: 8 });
    expect(page.items.map((s) => s.id)).toEqual(['run-4', 'run-3', 'run-2']);
    expect(ctx.store.list({ offset: 100 }).items).toEqual([]);

    expect(ctx.store.list({ status: 'stopped' }).items.map((s) => s.id)).toEqual(['run-3']);
    expect(ctx.store.list({ name: 'odd' }).total).toBe(4);
    expect(ctx.store.list({ name: 'odd', status: 'finished' }).items.map((s) => s.id)).toEqual(['run-5', 'run-1']);
    // since inclusive, until exclusive; offsets in the query are normalised like stored times
    const window = ctx.store.list({ since: at(2), until: '2026-11-29T13:05:00+01:00' });
    expect(window.items.map((s) => s.id)).toEqual(['run-4', 'run-3', 'run-2']);
    expect(window.total).toBe(3);
  });

  it('reports every bad list parameter at once', () => {
    try {
      ctx.store.list({ limit: 0, offset: -1, since: 'soon', status: 'paused' as never });
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(ScaleError);
      expect((err as ScaleError).details.map((d) => d.path).sort()).toEqual(['limit', 'offset', 'since', 'status']);
    }
  });

  it('markInterrupted() turns live runs interrupted, keeps their samples, and get() rebuilds a partial Result', () => {
    const spec = labSpec('crashy', { thresholds: { p99: '30ms' } });
    ctx.store.begin({ id: 'a', spec, startedAt: T0 });
    ctx.store.appendSample('a', point(1, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 }, 0.004, 0.01));
    ctx.store.appendSample('a', point(2, { 'pod-1': 50, 'pod-2': 5, 'pod-3': 5 }, 0.006, 0.04, 3));
    ctx.store.appendEvent('a', { at: T0, type: 'fault-injected', data: { pod: 'pod-2', type: 'latency' } });
    ctx.store.finish(finishedResult('done', labSpec(), at(-5), [point(1, { 'pod-1': 5 })]));

    expect(ctx.store.markInterrupted()).toEqual(['a']);
    expect(ctx.store.markInterrupted()).toEqual([]);
    // a writer that was still alive after all cannot add to a settled record
    expect(code(() => ctx.store.appendSample('a', point(3, { 'pod-1': 1 })))).toBe('not_found');
    ctx.store.close();
    ctx.store = new SqliteStore(ctx.file);

    const r = ctx.store.get('a');
    expect(r).toBeDefined();
    if (!r) return;
    expect(r.status).toBe('interrupted');
    expect(r.endedAt).toBe('2026-11-29T12:00:02.000Z');
    expect(r.timeline.map((p) => p.t)).toEqual([1, 2]);
    expect(r.duration).toBe(2);
    expect(r.totals).toEqual({ requests: 90, errors: 3, rps: 45, errorRate: 3 / 90, dropped: 0 });
    expect(r.errorsByKind.other).toBe(3);
    expect(r.pods.map((p) => [p.name, p.requests])).toEqual([['pod-1', 60], ['pod-2', 15], ['pod-3', 15]]);
    // J over 60, 15, 15 = 90² / (3 · 4050) = 2/3; chi-square is highly significant
    expect(r.balance.score).toBeCloseTo(2 / 3, 10);
    expect(r.balance.verdict).toBe('imbalanced');
    expect(r.latency).toEqual({ mean: expect.any(Number), p50: 0.006, p90: expect.any(Number), p99: 0.04, max: 0.04 });
    expect(r.thresholds.map((t) => [t.name, t.pass])).toEqual([['balance', false], ['p99', false]]);
    expect(ctx.store.events('a')).toEqual([{ at: T0, type: 'fault-injected', data: { pod: 'pod-2', type: 'latency' } }]);

    const summary = ctx.store.list({ status: 'interrupted' }).items;
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ id: 'a', requests: 90, errors: 3, verdict: 'imbalanced', endedAt: r.endedAt, basis: 'requests', requestScore: r.balance.requestScore });
    expect(summary[0].score).toBeCloseTo(2 / 3, 10);
    // the summary carries the rebuilt outcome of each threshold
    expect(summary[0].thresholds?.map((t) => [t.name, t.limit, t.pass])).toEqual([['balance', 0.95, false], ['p99', 0.03, false]]);
    expect(ctx.store.get('done')?.status).toBe('finished');
  });

  it('delete() removes a run with its samples and events', () => {
    ctx.store.begin({ id: 'd', spec: labSpec(), startedAt: T0 });
    ctx.store.appendSample('d', point(1, { 'pod-1': 1 }));
    ctx.store.appendEvent('d', { at: T0, type: 'tuning-change', data: null });
    expect(ctx.store.delete('d')).toBe(true);
    expect(ctx.store.delete('d')).toBe(false);
    expect(ctx.store.get('d')).toBeUndefined();
    expect(ctx.store.events('d')).toEqual([]);
    const raw = new BetterSqlite3(ctx.file, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(0);
    expect(raw.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    raw.close();
  });

  it('a damaged row does not break list(); get() of it reports engine_error', () => {
    ctx.store.finish(finishedResult('good', labSpec(), T0, [point(1, { 'pod-1': 1 })]));
    const raw = new BetterSqlite3(ctx.file);
    raw.prepare(
      `INSERT INTO runs (id, name, status, started_at, spec, result, score, verdict, target_kind)
       VALUES ('bad', 'x', 'from-the-future', ?, '{not json', '{nor this', 0.5, 'weird', 'lab')`,
    ).run(at(1));
    raw.close();
    const page = ctx.store.list();
    expect(page.total).toBe(2);
    expect(page.items[0]).toMatchObject({ id: 'bad', status: 'interrupted', verdict: 'insufficient-data', score: 0.5 });
    expect(page.items[0]).not.toHaveProperty('thresholds');
    expect(() => ctx.store.get('bad')).toThrow(/damaged/);
    expect(ctx.store.get('good')?.status).toBe('finished');
  });

  it('lists threshold outcomes only when every stored entry has the Result shape', () => {
    const spec = labSpec('t', { thresholds: { p99: '10ms', errorRate: 0.5 } });
    ctx.store.finish(finishedResult('t', spec, T0, [point(1, { 'pod-1': 90, 'pod-2': 10 }, 0.005, 0.02)]));
    expect(ctx.store.list().items[0].thresholds).toEqual([
      { name: 'balance', limit: 0.95, value: expect.any(Number), pass: false },
      { name: 'p99', limit: 0.01, value: 0.02, pass: false },
      { name: 'errorRate', limit: 0.5, value: 0, pass: true },
    ]);
    const raw = new BetterSqlite3(ctx.file);
    raw.prepare(`UPDATE runs SET thresholds = '[{"name":"p99","limit":"fast","value":1,"pass":true}]' WHERE id = 't'`).run();
    raw.close();
    expect(ctx.store.list().items[0]).not.toHaveProperty('thresholds');
    expect(ctx.store.get('t')?.thresholds).toHaveLength(3);
  });

  it('works in memory and close() is idempotent', () => {
    const mem = new SqliteStore(':memory:');
    mem.begin({ id: 'm', spec: labSpec(), startedAt: T0 });
    expect(mem.list().total).toBe(1);
    mem.close();
    mem.close();
    expect(() => mem.list()).toThrow();
  });
});
