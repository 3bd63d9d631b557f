import { ValidationError, type Issue } from '../core/errors.js';
import type { RunStatus, ThresholdResult, Verdict } from '../core/result.js';
import type { ResultQuery, ResultSummary } from './result-store.js';

/**
 * The `runs` table's rows and the list query built over them. Kept apart from the store so
 * the SQL of list() and the mapping of a possibly damaged row sit in one small file.
 */

/** A row of `runs` as SQLite returns it (schema version 4). */
export interface RunRow {
  id: string;
  name: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  spec: string;
  result: string | null;
  requests: number;
  errors: number;
  rps: number;
  score: number;
  verdict: string;
  /** Basis of `score`: `utilisation` or `requests`. */
  basis: string;
  /** Jain index of requests against expected shares; NULL when no window gave one. */
  request_score: number | null;
  policy: string | null;
  target_kind: string;
  /** JSON array of ThresholdResult; NULL until the run has an outcome. */
  thresholds: string | null;
}

export type SummaryRow = Omit<RunRow, 'spec' | 'result'>;

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

const STATUSES: readonly RunStatus[] = ['starting', 'running', 'finished', 'stopped', 'failed', 'interrupted'];
const VERDICTS: readonly Verdict[] = ['no-data', 'insufficient-data', 'balanced', 'imbalanced'];

/** Validates a ResultQuery, reporting every bad field at once; times come back canonical. */
export function parseQuery(q: ResultQuery): ResultQuery {
  const issues: Issue[] = [];
  const intIn = (field: 'limit' | 'offset', min: number, max: number) => {
    const v = q[field];
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max))
      issues.push({ path: field, message: `must be an integer from ${min} to ${max}` });
  };
  intIn('limit', 1, MAX_LIMIT);
  intIn('offset', 0, Number.MAX_SAFE_INTEGER);
  if (q.status !== undefined && !STATUSES.includes(q.status))
    issues.push({ path: 'status', message: `must be one of ${STATUSES.join(', ')}` });
  const time = (field: 'since' | 'until') => {
    const v = q[field];
    if (v === undefined) return undefined;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) {
      issues.push({ path: field, message: `not an ISO-8601 time: "${v}"` });
      return undefined;
    }
    return new Date(ms).toISOString();
  };
  const since = time('since');
  const until = time('until');
  if (issues.length > 0) throw new ValidationError(issues);
  return { ...q, since, until };
}

/** The page and count statements for the filters present in `q` (values bound by name). */
export function listSql(q: ResultQuery): { page: string; count: string } {
  const where: string[] = [];
  if (q.status !== undefined) where.push('status = @status');
  if (q.name !== undefined) where.push('name = @name');
  if (q.since !== undefined) where.push('started_at >= @since');
  if (q.until !== undefined) where.push('started_at < @until');
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const cols = 'id, name, status, started_at, ended_at, requests, errors, rps, score, verdict, basis, request_score, policy, target_kind, thresholds';
  return {
    // rowid breaks ties between runs started in the same millisecond: later insert first.
    page: `SELECT ${cols} FROM runs ${clause} ORDER BY started_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
    count: `SELECT count(*) FROM runs ${clause}`,
  };
}

/**
 * Maps a row to a summary without trusting it: a row written by hand, by a newer engine or
 * half-damaged still lists (with neutral values) instead of failing the whole page.
 */
export function toSummary(row: SummaryRow): ResultSummary {
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  // A status we do not know says nothing about how the run ended: the nearest truth is interrupted.
  const status = STATUSES.includes(row.status as RunStatus) ? (row.status as RunStatus) : 'interrupted';
  return {
    id: String(row.id),
    name: String(row.name ?? ''),
    status,
    startedAt: String(row.started_at ?? ''),
    endedAt: typeof row.ended_at === 'string' ? row.ended_at : null,
    requests: num(row.requests, 0),
    errors: num(row.errors, 0),
    rps: num(row.rps, 0),
    score: num(row.score, 1),
    verdict: VERDICTS.includes(row.verdict as Verdict) ? (row.verdict as Verdict) : 'insufficient-data',
    // Every score stored before the basis existed was on requests.
    basis: row.basis === 'utilisation' ? 'utilisation' : 'requests',
    ...(typeof row.request_score === 'number' && Number.isFinite(row.request_score) ? { requestScore: row.request_score } : {}),
    ...(typeof row.policy === 'string' ? { policy: row.policy } : {}),
    targetKind: row.target_kind as ResultSummary['targetKind'],
    ...thresholdsOf(row.thresholds),
  };
}

const THRESHOLD_NAMES: ReadonlySet<string> = new Set<ThresholdResult['name']>(['balance', 'p99', 'errorRate', 'responses']);

/** The stored threshold outcomes, only when every entry has the shape a Result gives it. */
function thresholdsOf(raw: unknown): { thresholds?: ThresholdResult[] } {
  if (typeof raw !== 'string') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return {};
  }
  const ok = (t: unknown): t is ThresholdResult => {
    const x = t as ThresholdResult | null;
    return !!x && THRESHOLD_NAMES.has(x.name) && typeof x.limit === 'number' && typeof x.value === 'number' && typeof x.pass === 'boolean';
  };
  if (!Array.isArray(v) || !v.every(ok)) return {};
  return { thresholds: v.map(({ name, limit, value, pass, reason }) => ({ name, limit, value, pass, ...(typeof reason === 'string' ? { reason } : {}) })) };
}
