import type { Database } from 'better-sqlite3';
import { ScaleError } from '../core/errors.js';

/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version` (SQLite's own
 * per-file integer, so no bookkeeping table can drift from the schema). Each migration runs in
 * one transaction together with its version bump: a crash mid-migration leaves the previous
 * version intact. Never edit a shipped migration; append a new one.
 */
export interface Migration {
  /** 1-based, consecutive. */
  version: number;
  /** What it changes, for errors and logs. */
  name: string;
  up(db: Database): void;
}

/** Every migration, oldest first. Version 1 is the first shipped schema. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs and per-second samples',
    up: (db) =>
      db.exec(`
        CREATE TABLE runs (
          id         TEXT PRIMARY KEY,
          name       TEXT NOT NULL,
          status     TEXT NOT NULL,
          started_at TEXT NOT NULL,
          ended_at   TEXT,
          spec       TEXT NOT NULL,  -- TestSpec JSON
          result     TEXT            -- final Result JSON; NULL while running or when interrupted
        );
        CREATE INDEX runs_started_at ON runs (started_at);
        CREATE INDEX runs_status ON runs (status, started_at);
        CREATE INDEX runs_name ON runs (name, started_at);
        CREATE TABLE samples (
          seq    INTEGER PRIMARY KEY,  -- rowid: insertion order is time order
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          t      REAL NOT NULL,
          point  TEXT NOT NULL         -- TimelinePoint JSON
        );
        CREATE INDEX samples_run ON samples (run_id, seq);
      `),
  },
  {
    version: 2,
    name: 'list summary columns and run events',
    up: (db) => {
      // Summary columns let list() answer from the index alone instead of parsing every Result.
      db.exec(`
        ALTER TABLE runs ADD COLUMN requests INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN rps REAL NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN score REAL NOT NULL DEFAULT 1;
        ALTER TABLE runs ADD COLUMN verdict TEXT NOT NULL DEFAULT 'insufficient-data';
        ALTER TABLE runs ADD COLUMN policy TEXT;
        ALTER TABLE runs ADD COLUMN target_kind TEXT NOT NULL DEFAULT 'lab';
        CREATE TABLE events (
          seq    INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          at     TEXT NOT NULL,
          type   TEXT NOT NULL,
          data   TEXT            -- JSON
        );
        CREATE INDEX events_run ON events (run_id, seq);
      `);
      // Backfill from what version 1 stored; json_valid guards rows that were damaged.
      db.exec(`
        UPDATE runs SET
          policy = json_extract(spec, '$.target.policy'),
          target_kind = coalesce(json_extract(spec, '$.target.kind'), 'lab')
        WHERE json_valid(spec);
        UPDATE runs SET
          requests = coalesce(json_extract(result, '$.totals.requests'), 0),
          errors = coalesce(json_extract(result, '$.totals.errors'), 0),
          rps = coalesce(json_extract(result, '$.totals.rps'), 0),
          score = coalesce(json_extract(result, '$.balance.score'), 1),
          verdict = coalesce(json_extract(result, '$.balance.verdict'), 'insufficient-data')
        WHERE result IS NOT NULL AND json_valid(result);
        UPDATE runs SET
          requests = (SELECT coalesce(sum(json_extract(point, '$.requests')), 0) FROM samples
                      WHERE run_id = runs.id AND json_valid(point)),
          errors = (SELECT coalesce(sum(json_extract(point, '$.errors')), 0) FROM samples
                    WHERE run_id = runs.id AND json_valid(point))
        WHERE result IS NULL;
      `);
    },
  },
  {
    version: 3,
    name: 'threshold outcomes in the list summary',
    up: (db) => {
      // JSON array of ThresholdResult, NULL while a run has no outcome yet (still running).
      db.exec(`
        ALTER TABLE runs ADD COLUMN thresholds TEXT;
        UPDATE runs SET thresholds = json_extract(result, '$.thresholds')
        WHERE result IS NOT NULL AND json_valid(result) AND json_type(result, '$.thresholds') = 'array';
      `);
    },
  },
  {
    version: 4,
    name: 'balance basis and request score in the list summary',
    up: (db) => {
      // `score` is on the run's basis; without it a list cannot say what the number measures.
      // Before the basis existed every score was on requests, so that is the backfill when a
      // Result or sample does not name one. A run without a Result is summarised by its last
      // sample while running; an interrupted one by its rebuild, which is judged on requests.
      db.exec(`
        ALTER TABLE runs ADD COLUMN basis TEXT NOT NULL DEFAULT 'requests';
        ALTER TABLE runs ADD COLUMN request_score REAL;
        UPDATE runs SET
          basis = coalesce(json_extract(result, '$.balance.basis'), 'requests'),
          request_score = coalesce(json_extract(result, '$.balance.requestScore'),
            CASE WHEN json_extract(result, '$.balance.basis') IS NULL THEN json_extract(result, '$.balance.score') END)
        WHERE result IS NOT NULL AND json_valid(result);
        UPDATE runs SET request_score = score WHERE result IS NULL AND status = 'interrupted';
        UPDATE runs SET
          basis = coalesce((SELECT json_extract(point, '$.basis') FROM samples
                            WHERE run_id = runs.id AND json_valid(point) ORDER BY seq DESC LIMIT 1), 'requests'),
          request_score = (SELECT coalesce(json_extract(point, '$.requestScore'),
                                    CASE WHEN json_extract(point, '$.basis') IS NULL THEN json_extract(point, '$.score') END)
                           FROM samples WHERE run_id = runs.id AND json_valid(point) ORDER BY seq DESC LIMIT 1)
        WHERE result IS NULL AND status IN ('starting', 'running');
      `);
    },
  },
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Brings `db` up to `target` (default: the latest) and returns the version it was at.
 * Refuses a database written by a newer version rather than guess at its schema.
 */
export function migrate(db: Database, target: number = SCHEMA_VERSION): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > SCHEMA_VERSION) {
    throw new ScaleError(
      'engine_error',
      `results database is at schema version ${from}, newer than this engine's ${SCHEMA_VERSION}; upgrade the engine`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      // PRAGMA takes no bound parameters; the version is our own integer.
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return from;
}
