import { describe, expect, it } from '@jest/globals';
import { LIST_COLUMNS, listCsv, timelineCsv } from '../../src/store/csv.js';
import type { ResultSummary } from '../../src/store/result-store.js';
import { finishedResult, labSpec, point } from './sample-data.js';

/** A minimal RFC 4180 reader, so the tests check what a consumer would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('timelineCsv', () => {
  it('has the fixed columns, then one per pod in natural order, one row per second', () => {
    const r = finishedResult('r', labSpec(), '2026-11-29T12:00:00Z', [
      point(1, { 'pod-1': 3, 'pod-10': 1 }, 0.004, 0.012),
      { ...point(2, { 'pod-2': 5 }), score: 0.5, verdict: 'imbalanced', utilisation: 0.9 },
    ]);
    const text = timelineCsv(r);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([
      ['t', 'requests', 'errors', 'rps', 'p50', 'p99', 'score', 'verdict', 'utilisation', 'pod-1', 'pod-2', 'pod-3', 'pod-10'],
      ['1', '4', '0', '4', '0.004', '0.012', '1', 'balanced', '', '3', '0', '0', '1'],
      ['2', '5', '0', '5', '0.005', '0.02', '0.5', 'imbalanced', '0.9', '0', '5', '0', '0'],
    ]);
  });

  it('quotes pod names with commas, quotes and line breaks, and defuses formulas', () => {
    const spec = { ...labSpec(), target: { kind: 'url' as const, url: 'http://127.0.0.1:1/', podHeader: 'x-scale-pod' } };
    const r = finishedResult('r', spec, '2026-11-29T12:00:00Z', [point(1, { 'a,b': 1, 'say "hi"': 2, 'two\r\nlines': 3, '=cmd()': 4 })]);
    const text = timelineCsv(r);
    expect(text.startsWith('t,requests,errors,rps,p50,p99,score,verdict,utilisation,\'=cmd(),"a,b","say ""hi""","two\r\nlines"\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0].slice(9)).toEqual(["'=cmd()", 'a,b', 'say "hi"', 'two\r\nlines']);
    expect(rows[1].slice(9)).toEqual(['4', '1', '2', '3']);
    expect(rows).toHaveLength(2);
  });

  it('is just the header for a run without samples', () => {
    const r = finishedResult('r', labSpec(), '2026-11-29T12:00:00Z', []);
    expect(parseCsv(timelineCsv(r))).toEqual([['t', 'requests', 'errors', 'rps', 'p50', 'p99', 'score', 'verdict', 'utilisation', 'pod-1', 'pod-2', 'pod-3']]);
  });
});

describe('listCsv', () => {
  it('writes one row per summary, empty fields for null and absent values', () => {
    const items: ResultSummary[] = [
      { id: 'a', name: 'plain', status: 'finished', startedAt: '2026-11-29T12:00:00.000Z', endedAt: '2026-11-29T12:01:00.000Z', requests: 10, errors: 1, rps: 0.17, score: 0.99, verdict: 'balanced', policy: 'random', targetKind: 'lab', basis: 'utilisation', requestScore: 0.8 },
      { id: 'b', name: 'spike, "big"', status: 'running', startedAt: '2026-11-29T12:02:00.000Z', endedAt: null, requests: 0, errors: 0, rps: 0, score: 1, verdict: 'insufficient-data', targetKind: 'url', basis: 'requests' },
    ];
    const rows = parseCsv(listCsv(items));
    expect(rows[0]).toEqual([...LIST_COLUMNS]);
    // the score says what it measures; the columns that came before keep their places
    expect(rows[0]).toEqual(['id', 'name', 'status', 'startedAt', 'endedAt', 'requests', 'errors', 'rps', 'score', 'verdict', 'policy', 'targetKind', 'basis', 'requestScore']);
    expect(rows[1]).toEqual(['a', 'plain', 'finished', '2026-11-29T12:00:00.000Z', '2026-11-29T12:01:00.000Z', '10', '1', '0.17', '0.99', 'balanced', 'random', 'lab', 'utilisation', '0.8']);
    expect(rows[2]).toEqual(['b', 'spike, "big"', 'running', '2026-11-29T12:02:00.000Z', '', '0', '0', '0', '1', 'insufficient-data', '', 'url', 'requests', '']);
    expect(listCsv(items).split('\r\n')[2]).toContain('"spike, ""big"""');
  });
});
