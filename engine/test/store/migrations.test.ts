import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION, migrate } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { finishedResult, labSpec, point, tempDir } from './sample-data.js';

const T0 = '2026-11-29T12:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();

describe('migrations', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
    mkdirSync(dirname(tmp.file), { recursive: true });
  });
  afterEach(() => tmp.cleanup());

  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring a version-1 database up to date, keeping and backfilling its runs', () => {
    // A database exactly as the version-1 engine left it: one finished run, one mid-run.
    const v1 = new BetterSqlite3(tmp.file);
    expect(migrate(v1, 1)).toBe(0);
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    const spec = labSpec('old');
    const done = finishedResult('old-done', spec, T0, [point(1, { 'pod-1': 7, 'pod-2': 7, 'pod-3': 7 })]);
    const insert = v1.prepare('INSERT INTO runs (id, name, status, started_at, ended_at, spec, result) VALUES (?, ?, ?, ?, ?, ?, ?)');
    insert.run('old-done', 'old', 'finished', T0, done.endedAt, JSON.stringify(spec), JSON.stringify(done));
    insert.run('old-live', 'old', 'running', '2026-11-29T12:10:00.000Z', null, JSON.stringify(spec), null);
    insert.run('old-bad', 'old', 'finished', '2026-11-29T11:00:00.000Z', null, '{damaged', '{damaged');
    const sample = v1.prepare('INSERT INTO samples (run_id, t, point) VALUES (?, ?, ?)');
    sample.run('old-live', 1, JSON.stringify(point(1, { 'pod-1': 4, 'pod-2': 4 }, 0.005, 0.02, 1)));
    sample.run('old-live', 2, JSON.stringify(point(2, { 'pod-1': 4, 'pod-2': 4 })));
    v1.close();

    const store = new SqliteStore(tmp.file);
    try {
      const page = store.list();
      expect(page.items.map((s) => [s.id, s.requests, s.errors, s.policy, s.targetKind])).toEqual([
        ['old-live', 16, 1, 'least-connections', 'lab'],
        ['old-done', 21, 0, 'least-connections', 'lab'],
        ['old-bad', 0, 0, undefined, 'lab'],
      ]);
      expect(page.items[1]).toMatchObject({ rps: 21, score: 1, verdict: 'balanced', thresholds: done.thresholds });
      expect(page.items[0]).not.toHaveProperty('thresholds');
      expect(page.items[2]).not.toHaveProperty('thresholds');
      expect(store.get('old-done')).toEqual(done);
      // the new events table works on migrated runs
      store.appendEvent('old-live', { at: T0, type: 'note', data: [1, 2] });
      expect(store.events('old-live')).toEqual([{ at: T0, type: 'note', data: [1, 2] }]);
      expect(store.markInterrupted()).toEqual(['old-live']);
      expect(store.get('old-live')?.totals.requests).toBe(16);
      expect(store.list({ status: 'interrupted' }).items[0].thresholds).toEqual(store.get('old-live')?.thresholds);
    } finally {
      store.close();
    }
    const raw = new BetterSqlite3(tmp.file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('bring a version-3 database up to date, filling the basis and request score of every summary', () => {
    // A database as the version-3 engine left it, with Results from before and after the basis existed.
    const v3 = new BetterSqlite3(tmp.file);
    migrate(v3, 3);
    const spec = labSpec('v3');
    const work = finishedResult('work', spec, T0, [point(1, { 'pod-1': 9, 'pod-2': 3, 'pod-3': 3 })]);
    work.balance = { ...work.balance, score: 0.97, verdict: 'balanced', basis: 'utilisation', utilisation: 0.97 };
    // a Result stored before the basis: its score was the request score, and it had no other
    const old = finishedResult('old', spec, at(1), [point(1, { 'pod-1': 9, 'pod-2': 3, 'pod-3': 3 })]);
    const { basis: _b, requestScore: _r, ...oldBalance } = old.balance;
    const oldJson = JSON.stringify({ ...old, balance: oldBalance });
    const insert = v3.prepare(
      `INSERT INTO runs (id, name, status, started_at, ended_at, spec, result, score, verdict, thresholds)
       VALUES (@id, 'v3', @status, @started_at, NULL, @spec, @result, @score, @verdict, NULL)`,
    );
    const row = (id: string, status: string, i: number, result: string | null, score: number, verdict = 'balanced') =>
      insert.run({ id, status, started_at: at(i), spec: JSON.stringify(spec), result, score, verdict });
    row('work', 'finished', 0, JSON.stringify(work), 0.97);
    row('old', 'finished', 1, oldJson, old.balance.score, old.balance.verdict);
    row('live-new', 'running', 2, null, 0.99);
    row('live-old', 'running', 3, null, 0.8);
    row('gone', 'interrupted', 4, null, 0.6, 'imbalanced');
    row('bad', 'finished', 5, '{damaged', 1);
    const sample = v3.prepare('INSERT INTO samples (run_id, t, point) VALUES (?, ?, ?)');
    sample.run('live-new', 1, JSON.stringify({ ...point(1, { 'pod-1': 4 }), score: 0.5, basis: 'requests', requestScore: 0.5 }));
    sample.run('live-new', 2, JSON.stringify({ ...point(2, { 'pod-1': 4 }), score: 0.99, basis: 'utilisation', requestScore: 0.4 }));
    sample.run('live-old', 1, JSON.stringify({ ...point(1, { 'pod-1': 4 }), score: 0.8 }));
    v3.close();

    const store = new SqliteStore(tmp.file);
    try {
      const byId = Object.fromEntries(store.list().items.map((s) => [s.id, s]));
      expect(byId.work).toMatchObject({ score: 0.97, basis: 'utilisation', requestScore: work.balance.requestScore });
      expect(byId.old).toMatchObject({ score: old.balance.score, basis: 'requests', requestScore: old.balance.score });
      expect(byId['live-new']).toMatchObject({ score: 0.99, basis: 'utilisation', requestScore: 0.4 });
      expect(byId['live-old']).toMatchObject({ score: 0.8, basis: 'requests', requestScore: 0.8 });
      expect(byId.gone).toMatchObject({ score: 0.6, basis: 'requests', requestScore: 0.6 });
      expect(byId.bad).toMatchObject({ basis: 'requests' });
      expect(byId.bad).not.toHaveProperty('requestScore');
      // the stored Results are untouched
      expect(store.get('work')).toEqual(work);
      expect(JSON.stringify(store.get('old'))).toBe(oldJson);
    } finally {
      store.close();
    }
  });

  it('leave a database at the latest version alone', () => {
    new SqliteStore(tmp.file).close();
    const db = new BetterSqlite3(tmp.file);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuse a database written by a newer engine, without touching it', () => {
    const db = new BetterSqlite3(tmp.file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteStore(tmp.file)).toThrow(/newer than this engine/);
    const again = new BetterSqlite3(tmp.file, { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    again.close();
  });

  it('roll back a migration that fails part-way', () => {
    const db = new BetterSqlite3(tmp.file);
    migrate(db, 1);
    db.exec('CREATE TABLE events (x)'); // makes migration 2 fail after its ALTERs
    expect(() => migrate(db)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const cols = (db.prepare('PRAGMA table_info(runs)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols).not.toContain('requests');
    db.close();
  });
});
