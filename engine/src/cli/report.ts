import type { Result, ThresholdResult } from '../core/result.js';
import { describeSpec } from './live-view.js';
import { balancePhrase, int, lpad, pad, paint, pct, safeLine, score, secs, verdictColour } from './format.js';

/** The final table printed after a run (the Result in human form). */
export function renderReport(r: Result, colour: boolean): string {
  const lines: string[] = [];
  lines.push('');
  lines.push(`${paint(colour, 'bold', safeLine(r.spec.name))}  ${r.status}  ${paint(colour, 'dim', describeSpec(r.spec))}`);
  if (r.error) lines.push(paint(colour, 'red', `error: ${safeLine(r.error.message)} (${r.error.code})`));
  lines.push(
    r.totals.dropped
      ? `requests ${int(r.totals.requests)} in ${r.duration.toFixed(1)}s (${int(r.totals.rps)}/s)  errors ${int(r.totals.errors)}  dropped ${int(r.totals.dropped)}  error rate ${pct(r.totals.errorRate, 2)} (dropped count as failed)`
      : `requests ${int(r.totals.requests)} in ${r.duration.toFixed(1)}s (${int(r.totals.rps)}/s)  errors ${int(r.totals.errors)} (${pct(r.totals.errorRate, 2)})`,
  );
  const e = r.errorsByKind;
  if (r.totals.errors > 0)
    lines.push(`errors   connect ${e.connect}  timeout ${e.timeout}  status ${e.status}  reset ${e.reset}  other ${e.other}`);
  const l = r.latency;
  lines.push(`latency  mean ${secs(l.mean)}  p50 ${secs(l.p50)}  p90 ${secs(l.p90)}  p99 ${secs(l.p99)}  max ${secs(l.max)}`);
  const w = r.workers;
  if (w) {
    const lost = w.lost.length === 0 ? 'none lost' : `lost ${w.lost.map((x) => `#${x.index} at ${x.t.toFixed(1)}s`).join(', ')}: ${w.lostRequests !== undefined ? `${int(w.lostRequests)} requests` : `${int(w.lostUsers ?? 0)} users`} (${pct(w.lostShare, 1)} of the plan) not sent`;
    lines.push(`workers  ${w.count} processes, ${lost}`);
  }
  // Pod names from a cluster are long: the column fits the longest.
  const podWidth = Math.max(10, ...r.pods.map((p) => p.name.length + 2));
  lines.push('');
  lines.push(
    paint(colour, 'dim', `${pad('pod', podWidth)}${lpad('requests', 10)}${lpad('share', 8)}${lpad('expect', 8)}${lpad('errors', 8)}${lpad('p50', 9)}${lpad('p99', 9)}${lpad('busy', 8)}`),
  );
  for (const p of r.pods) {
    lines.push(
      `${pad(safeLine(p.eligible ? p.name : `${p.name}✗`), podWidth)}${lpad(int(p.requests), 10)}${lpad(pct(p.share), 8)}${lpad(pct(p.expectedShare), 8)}${lpad(int(p.errors), 8)}${lpad(secs(p.latency.p50), 9)}${lpad(secs(p.latency.p99), 9)}${lpad(p.utilisation === undefined ? '-' : pct(p.utilisation), 8)}`,
    );
  }
  const d = r.declaredPods;
  if (d && d.silent.length > 0)
    lines.push(paint(colour, 'yellow', `${d.silent.length} of ${d.count} declared pods never answered (counted with 0 requests): ${safeLine(d.silent.join(', '))}`));
  if (d && d.undeclared.length > 0) lines.push(paint(colour, 'yellow', `answered without being declared: ${safeLine(d.undeclared.join(', '))}`));
  const b = r.balance;
  lines.push('');
  lines.push(`balance  ${balancePhrase(b, colour)}  CoV ${b.cov.toFixed(4)}  max/expected ${b.maxMean.toFixed(3)}  χ² p=${b.chiSquareP.toPrecision(3)}`);
  lines.push(
    paint(colour, 'dim', `         judged on ${b.basis === 'utilisation' ? 'pod work (busy time per slot)' : 'requests against expected shares'}; requests ${score(b.requestScore)}, utilisation ${b.utilisation === null ? '-' : score(b.utilisation)}`),
  );
  if (b.reason) lines.push(paint(colour, verdictColour(b.verdict), `         ${safeLine(b.reason)}`));
  for (const t of r.thresholds) lines.push(`${t.pass ? paint(colour, 'green', '✓') : paint(colour, 'red', '✗')} ${t.name}: ${thresholdText(t)}`);
  if (r.events?.length) {
    lines.push('');
    for (const e of r.events) lines.push(paint(colour, 'dim', `${lpad(e.t.toFixed(1), 7)}s  ${safeLine(e.message)}`));
  }
  return lines.join('\n');
}

function thresholdText(t: ThresholdResult): string {
  switch (t.name) {
    case 'p99':
      return `${secs(t.value)} <= ${secs(t.limit)}`;
    case 'balance':
      return `score ${score(t.value)} (limit ${t.limit}; passes only when balanced)${t.pass || !t.reason ? '' : `: ${safeLine(t.reason)}`}`;
    case 'responses':
      return `no successful response${t.reason ? `: ${safeLine(t.reason)}` : ''}`;
    case 'errorRate':
      return `${pct(t.value, 2)} <= ${pct(t.limit, 2)}`;
    case 'maxShareRatio':
      return t.pass || !t.reason
        ? `${t.pod ? `${safeLine(t.pod)} took ` : ''}${t.value.toFixed(2)}× its expected share (limit ${t.limit}×)`
        : `${t.value.toFixed(2)}× (limit ${t.limit}×): ${safeLine(t.reason)}`;
  }
}
