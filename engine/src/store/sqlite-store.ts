import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { ScaleError } from '../core/errors.js';
import type { Result, RunStatus, TimelinePoint } from '../core/result.js';
import type { TestSpec } from '../spec/test-spec.js';
import { migrate } from './migrations.js';
import { rebuildResult, faultsFromEvents, withTuning } from './rebuild-result.js';
import type { ResultPage, ResultQuery, ResultStore, RunEventRecord, RunStart } from './result-store.js';
import { DEFAULT_LIMIT, listSql, parseQuery, toSummary, type RunRow, type SummaryRow } from './summary-rows.js';

/** Options of SqliteStore. */
export interface SqliteStoreOptions {
  /** How long a write waits for another process holding the lock (e.g. a CLI run), ms. Default 5000. */
  busyTimeoutMs?: number;
}

/** Statuses of a run whose process may still be writing to it. */
const LIVE: readonly RunStatus[] = ['starting', 'running'];

/**
 * The ResultStore on SQLite (better-sqlite3). WAL journal with synchronous=NORMAL: each commit
 * survives a crash of the process (it is in the WAL file before the call returns); only an OS
 * crash or power loss can drop the last commits, never corrupt the file.
 */
export class SqliteStore implements ResultStore {
  private readonly db: Database;
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly listStatements = new Map<string, { page: Statement; count: Statement }>();
  private closed = false;

  /** @param file database path (its directory is created) or `':memory:'` */
  constructor(file: string, options: SqliteStoreOptions = {}) {
    if (file !== ':memory:' && !file.startsWith('file:')) mkdirSync(dirname(file), { recursive: true });
    this.db = new BetterSqlite3(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      migrate(this.db);
      this.stmt = prepare(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  begin(run: RunStart): void {
    const spec = run.spec;
    const info = this.stmt.begin.run({
      id: run.id,
      name: spec.name,
      started_at: isoTime(run.startedAt, 'startedAt'),
      spec: JSON.stringify(spec),
      policy: spec.target.kind === 'lab' ? spec.target.policy : null,
      target_kind: spec.target.kind,
    });
    if (info.changes === 0) throw new ScaleError('conflict', `run ${run.id} is already stored`);
  }

  appendSample(id: string, point: TimelinePoint): void {
    this.tx(() => {
      // The counters make list() of a live run cheap; both writes commit together. A run that
      // ended or was marked interrupted takes no more samples: its record is settled.
      const info = this.stmt.bumpRun.run({ id, requests: point.requests, errors: point.errors, t: point.t, score: point.score, verdict: point.verdict, ...balanceOf(point) });
      if (info.changes === 0) throw new ScaleError('not_found', `no running run ${id}`);
      this.stmt.insertSample.run(id, point.t, JSON.stringify(point));
    });
  }

  finish(result: Result): void {
    const spec = result.spec;
    this.tx(() => {
      this.stmt.upsertResult.run({
        id: result.id,
        name: spec.name,
        status: result.status,
        started_at: isoTime(result.startedAt, 'startedAt'),
        ended_at: result.endedAt === null ? null : isoTime(result.endedAt, 'endedAt'),
        spec: JSON.stringify(spec),
        result: JSON.stringify(result),
        requests: result.totals.requests,
        errors: result.totals.errors,
        rps: result.totals.rps,
        score: result.balance.score,
        verdict: result.balance.verdict,
        basis: result.balance.basis,
        request_score: result.balance.requestScore,
        policy: spec.target.kind === 'lab' ? spec.target.policy : null,
        target_kind: spec.target.kind,
        thresholds: JSON.stringify(result.thresholds),
      });
      // The Result carries the whole timeline; the samples were only its crash insurance.
      this.stmt.deleteSamples.run(result.id);
    });
  }

  get(id: string): Result | undefined {
    const row = this.stmt.getRun.get(id) as RunRow | undefined;
    if (!row) return undefined;
    const r = row.result !== null ? parseJson<Result>(row.result, `stored result of run ${id}`) : this.rebuild(row);
    return withTuning(r, this.events(id));
  }

  list(query: ResultQuery = {}): ResultPage {
    const q = parseQuery(query);
    const key = `${q.status !== undefined}${q.name !== undefined}${q.since !== undefined}${q.until !== undefined}`;
    let s = this.listStatements.get(key);
    if (!s) {
      const sql = listSql(q);
      s = { page: this.db.prepare(sql.page), count: this.db.prepare(sql.count).pluck() };
      this.listStatements.set(key, s);
    }
    const filters = { status: q.status, name: q.name, since: q.since, until: q.until };
    for (const k of Object.keys(filters) as Array<keyof typeof filters>) if (filters[k] === undefined) delete filters[k];
    const total = Number(s.count.get(filters) ?? 0);
    const rows = s.page.all({ ...filters, limit: q.limit ?? DEFAULT_LIMIT, offset: q.offset ?? 0 }) as SummaryRow[];
    return { items: rows.map(toSummary), total };
  }

  markInterrupted(): string[] {
    return this.tx(() => {
      const rows = this.stmt.liveRuns.all(...LIVE) as RunRow[];
      const ids: string[] = [];
      for (const row of rows) {
        ids.push(row.id);
        let summary = { requests: row.requests, errors: row.errors, rps: row.rps, score: row.score, verdict: row.verdict, basis: row.basis, request_score: row.request_score, ended_at: row.ended_at, thresholds: row.thresholds };
        try {
          const r = this.rebuild({ ...row, status: 'interrupted' });
          summary = { requests: r.totals.requests, errors: r.totals.errors, rps: r.totals.rps, score: r.balance.score, verdict: r.balance.verdict, basis: r.balance.basis, request_score: r.balance.requestScore, ended_at: r.endedAt, thresholds: JSON.stringify(r.thresholds) };
        } catch {
          // A damaged spec still gets its status fixed; get() will report the damage.
        }
        this.stmt.interrupt.run({ id: row.id, ...summary });
      }
      return ids;
    });
  }

  delete(id: string): boolean {
    // Samples and events go with the run (ON DELETE CASCADE), in this one statement.
    return this.stmt.deleteRun.run(id).changes > 0;
  }

  appendEvent(id: string, event: RunEventRecord): void {
    try {
      this.stmt.insertEvent.run(id, event.at, event.type, event.data === undefined ? null : JSON.stringify(event.data));
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new ScaleError('not_found', `no run ${id}`);
      throw err;
    }
  }

  events(id: string): RunEventRecord[] {
    const rows = this.stmt.events.all(id) as Array<{ at: string; type: string; data: string | null }>;
    return rows.map((r) => ({ at: r.at, type: r.type, data: r.data === null ? null : safeJson(r.data) }));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Rebuilds a Result from the samples of a run that has no final Result. */
  private rebuild(row: RunRow): Result {
    const spec = parseJson<TestSpec>(row.spec, `stored spec of run ${row.id}`);
    const samples: TimelinePoint[] = [];
    for (const raw of this.stmt.samples.all(row.id) as string[]) {
      const p = safeJson(raw);
      // A damaged sample costs one second of the timeline, not the run.
      if (p && typeof p === 'object') samples.push(p as TimelinePoint);
    }
    const r = rebuildResult({ id: row.id, spec, status: row.status as RunStatus, startedAt: row.started_at, endedAt: null, samples });
    // The last sample is the last moment the run was known to be alive.
    if (r.status === 'interrupted') r.endedAt = row.ended_at ?? endOf(row.started_at, r.duration);
    const faults = faultsFromEvents(this.events(row.id), row.started_at);
    if (faults.length > 0) r.faults = faults;
    return r;
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}

function prepare(db: Database) {
  const summaryCols = 'requests = @requests, errors = @errors, rps = @rps, score = @score, verdict = @verdict, basis = @basis, request_score = @request_score, thresholds = @thresholds';
  return {
    begin: db.prepare(
      `INSERT INTO runs (id, name, status, started_at, spec, policy, target_kind)
       VALUES (@id, @name, 'running', @started_at, @spec, @policy, @target_kind) ON CONFLICT (id) DO NOTHING`,
    ),
    bumpRun: db.prepare(
      `UPDATE runs SET requests = requests + @requests, errors = errors + @errors,
         rps = CASE WHEN @t > 0 THEN round((requests + @requests) * 1.0 / @t, 2) ELSE 0 END, score = @score, verdict = @verdict,
         basis = @basis, request_score = @request_score
       WHERE id = @id AND status IN ('starting', 'running')`,
    ),
    insertSample: db.prepare('INSERT INTO samples (run_id, t, point) VALUES (?, ?, ?)'),
    upsertResult: db.prepare(
      `INSERT INTO runs (id, name, status, started_at, ended_at, spec, result, requests, errors, rps, score, verdict, basis, request_score, policy, target_kind, thresholds)
       VALUES (@id, @name, @status, @started_at, @ended_at, @spec, @result, @requests, @errors, @rps, @score, @verdict, @basis, @request_score, @policy, @target_kind, @thresholds)
       ON CONFLICT (id) DO UPDATE SET name = @name, status = @status, started_at = @started_at, ended_at = @ended_at,
         spec = @spec, result = @result, ${summaryCols}, policy = @policy, target_kind = @target_kind`,
    ),
    deleteSamples: db.prepare('DELETE FROM samples WHERE run_id = ?'),
    getRun: db.prepare('SELECT * FROM runs WHERE id = ?'),
    samples: db.prepare('SELECT point FROM samples WHERE run_id = ? ORDER BY seq').pluck(),
    liveRuns: db.prepare(`SELECT * FROM runs WHERE status IN (${LIVE.map(() => '?').join(', ')}) AND result IS NULL`),
    interrupt: db.prepare(`UPDATE runs SET status = 'interrupted', ended_at = @ended_at, ${summaryCols} WHERE id = @id`),
    deleteRun: db.prepare('DELETE FROM runs WHERE id = ?'),
    insertEvent: db.prepare('INSERT INTO events (run_id, at, type, data) VALUES (?, ?, ?, ?)'),
    events: db.prepare('SELECT at, type, data FROM events WHERE run_id = ? ORDER BY seq'),
  };
}

/** A window's basis and request score; a sample without a basis (older loads) was judged on requests. */
function balanceOf(point: TimelinePoint): { basis: string; request_score: number | null } {
  const basis = point.basis ?? 'requests';
  return { basis, request_score: point.requestScore ?? (basis === 'requests' ? point.score : null) };
}

/** Parses an ISO-8601 time to the canonical UTC form, so text order is time order. */
function isoTime(text: string, field: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ScaleError('invalid_input', `${field} is not a time: "${text}"`, [{ path: field, message: 'expected ISO-8601' }]);
  return new Date(ms).toISOString();
}

function endOf(startedAt: string, seconds: number): string {
  return new Date(Date.parse(startedAt) + seconds * 1000).toISOString();
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ScaleError('engine_error', `${what} is damaged and cannot be read`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
