import { byPodName } from '../analysis/balance-tracker.js';
import type { Result } from '../core/result.js';
import type { ResultSummary } from './result-store.js';

/**
 * CSV exports of a run's timeline and of the results list, as RFC 4180 describes: CRLF line
 * ends, a header row, fields with a comma, quote or line break in double quotes with quotes
 * doubled. Times are seconds, as in the Result; an unknown value is an empty field.
 */

type Cell = string | number | null | undefined;

/** Fixed columns of timelineCsv, before one column per pod. */
export const TIMELINE_COLUMNS = ['t', 'requests', 'errors', 'rps', 'p50', 'p99', 'score', 'verdict', 'utilisation'] as const;

/** One row per second of `result.timeline`; after the fixed columns, one request-count column per pod. */
export function timelineCsv(result: Result): string {
  const names = new Set<string>(result.pods.map((p) => p.name));
  for (const p of result.timeline) for (const name of Object.keys(p.pods)) names.add(name);
  const pods = [...names].sort(byPodName);
  const rows: Cell[][] = [[...TIMELINE_COLUMNS, ...pods]];
  for (const p of result.timeline) {
    rows.push([
      p.t,
      p.requests,
      p.errors,
      p.rps,
      p.latency.p50,
      p.latency.p99,
      p.score,
      p.verdict,
      p.utilisation,
      ...pods.map((name) => p.pods[name] ?? 0),
    ]);
  }
  return toCsv(rows);
}

/** Columns of listCsv, in order (new columns go at the end, so positional readers keep working). */
export const LIST_COLUMNS = ['id', 'name', 'status', 'startedAt', 'endedAt', 'requests', 'errors', 'rps', 'score', 'verdict', 'policy', 'targetKind', 'basis', 'requestScore'] as const;

/** One row per summary, in the order given. */
export function listCsv(items: readonly ResultSummary[]): string {
  const rows: Cell[][] = [[...LIST_COLUMNS]];
  for (const s of items) rows.push(LIST_COLUMNS.map((c) => s[c]));
  return toCsv(rows);
}

function toCsv(rows: readonly Cell[][]): string {
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

function field(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  // Text that a spreadsheet would run as a formula (test names and pod headers come from
  // users and remote servers) gets a leading quote, as OWASP's CSV-injection advice says.
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
