import type { Result } from '../core/result.js';
import { describeSpec } from './live-view.js';
import { int, lpad, pad, paint, pct, safeLine, score, secs, verdictColour } from './format.js';

/** The final table printed after a run (the Result in human form). */
export function renderReport(r: Result, colour: boolean): string {
  const lines: string[] = [];
  lines.push('');
  lines.push(`${paint(colour, 'bold', safeLine(r.spec.name))}  ${r.status}  ${paint(colour, 'dim', describeSpec(r.spec))}`);
  if (r.error) lines.push(paint(colour, 'red', `error: ${safeLine(r.error.message)} (${r.error.code})`));
  lines.push(
    `requests ${int(r.totals.requests)} in ${r.duration.toFixed(1)}s (${int(r.totals.rps)}/s)  errors ${int(r.totals.errors)} (${pct(r.totals.errorRate, 2)})${r.totals.dropped ? `  dropped ${int(r.totals.dropped)}` : ''}`,
  );
  const e = r.errorsByKind;
  if (r.totals.errors > 0)
    lines.push(`errors   connect ${e.connect}  timeout ${e.timeout}  status ${e.status}  reset ${e.reset}  other ${e.other}`);
  const l = r.latency;
  lines.push(`latency  mean ${secs(l.mean)}  p50 ${secs(l.p50)}  p90 ${secs(l.p90)}  p99 ${secs(l.p99)}  max ${secs(l.max)}`);
  lines.push('');
  lines.push(
    paint(colour, 'dim', `${pad('pod', 10)}${lpad('requests', 10)}${lpad('share', 8)}${lpad('expect', 8)}${lpad('errors', 8)}${lpad('p50', 9)}${lpad('p99', 9)}${lpad('busy', 8)}`),
  );
  for (const p of r.pods) {
    lines.push(
      `${pad(safeLine(p.eligible ? p.name : `${p.name}✗`), 10)}${lpad(int(p.requests), 10)}${lpad(pct(p.share), 8)}${lpad(pct(p.expectedShare), 8)}${lpad(int(p.errors), 8)}${lpad(secs(p.latency.p50), 9)}${lpad(secs(p.latency.p99), 9)}${lpad(p.utilisation === undefined ? '-' : pct(p.utilisation), 8)}`,
    );
  }
  const b = r.balance;
  lines.push('');
  lines.push(
    `balance  score ${score(b.score)}  CoV ${b.cov.toFixed(4)}  max/mean ${b.maxMean.toFixed(3)}  χ² p=${b.chiSquareP.toPrecision(3)}  verdict ${paint(colour, verdictColour(b.verdict), b.verdict)}`,
  );
  if (b.utilisation !== null) lines.push(`         utilisation balance ${score(b.utilisation)} (Jain over per-pod busy time)`);
  for (const t of r.thresholds) {
    const shown = t.name === 'p99' ? `${secs(t.value)} <= ${secs(t.limit)}` : t.name === 'balance' ? `score ${score(t.value)} (limit ${t.limit}, fails only when imbalanced)` : `${pct(t.value, 2)} <= ${pct(t.limit, 2)}`;
    lines.push(`${t.pass ? paint(colour, 'green', '✓') : paint(colour, 'red', '✗')} ${t.name}: ${shown}`);
  }
  return lines.join('\n');
}
