import { afterEach, beforeEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result, TimelinePoint } from '../../src/core/result.js';
import { rebuildResult } from '../../src/store/rebuild-result.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import type { TestSpec } from '../../src/spec/test-spec.js';

/** A fresh temp directory and a function that removes it. */
export function tempDir(): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'scale-store-'));
  return { dir, file: join(dir, 'nested', 'results.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function labSpec(name = 'spike', extra: Record<string, unknown> = {}): TestSpec {
  return parseTestSpec({ name, target: { kind: 'lab', pods: 3, policy: 'least-connections' }, load: { model: 'open', stages: [{ rate: 300, duration: '10s' }] }, ...extra });
}

/** Second `t` of a run with these per-pod counts; latency in seconds. */
export function point(t: number, pods: Record<string, number>, p50 = 0.005, p99 = 0.02, errors = 0): TimelinePoint {
  const requests = Object.values(pods).reduce((a, b) => a + b, 0);
  return { t, requests, errors, rps: requests, latency: { p50, p99 }, pods, score: 1, verdict: 'balanced', utilisation: null, inflight: 2, users: 0 };
}

/** A complete Result as a finished run would deliver it. */
export function finishedResult(id: string, spec: TestSpec, startedAt: string, timeline: TimelinePoint[], status: Result['status'] = 'finished'): Result {
  const r = rebuildResult({ id, spec, status, startedAt, endedAt: null, samples: timeline });
  r.endedAt = new Date(Date.parse(startedAt) + r.duration * 1000).toISOString();
  r.statusCodes = { 200: r.totals.requests - r.totals.errors };
  return r;
}

/**
 * A SqliteStore on a fresh temp file for each test of the calling `describe`, closed and
 * removed after it. Read `ctx.store` inside tests (a test may reopen it by assignment).
 */
export function useTempStore(): { store: SqliteStore; file: string } {
  const ctx = {} as { store: SqliteStore; file: string; cleanup: () => void };
  beforeEach(() => {
    const tmp = tempDir();
    ctx.file = tmp.file;
    ctx.cleanup = tmp.cleanup;
    ctx.store = new SqliteStore(tmp.file);
  });
  afterEach(() => {
    ctx.store.close();
    ctx.cleanup();
  });
  return ctx;
}
