import { createLogUpdate } from 'log-update';
import type { RunTick } from '../runs/run-events.js';
import type { TestSpec } from '../spec/test-spec.js';
import { balancePhrase, bar, int, lpad, pad, paint, pct, safeLine, score, secs } from './format.js';

/**
 * The terminal view of a running test: a progress bar, one bar per pod (its share of the last
 * window against its expected share) and the balance score. Redrawn in place once a second.
 * Subscribes to run ticks; knows nothing about how they are made.
 */
export class LiveView {
  private readonly draw: ReturnType<typeof createLogUpdate>;
  constructor(
    private readonly out: Pick<NodeJS.WriteStream, 'write' | 'columns' | 'rows' | 'isTTY'>,
    private readonly colour = !process.env.NO_COLOR,
  ) {
    // A terminal that reports no size (0×0: some CI ptys, `script`, serial consoles) would make
    // log-update wrap every character and draw no line at all: assume 80×24 there.
    const sized = {
      isTTY: true,
      write: (chunk: string) => out.write(chunk),
      get columns() {
        return sizeOr(out.columns, 80);
      },
      get rows() {
        return sizeOr(out.rows, 24);
      },
    };
    this.draw = createLogUpdate(sized as unknown as NodeJS.WriteStream, { showCursor: false });
  }

  tick(t: RunTick, spec: TestSpec, caption?: string): void {
    this.draw(render(t, spec, this.colour, sizeOr(this.out.columns, 80), caption));
  }

  /** Leaves the last frame on screen. */
  done(): void {
    this.draw.done();
  }
}

/** A terminal dimension, or `fallback` when the terminal reports none (undefined, 0, NaN). */
function sizeOr(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && n > 0 ? n : fallback;
}

export function describeSpec(spec: TestSpec): string {
  const t = spec.target;
  const target =
    t.kind === 'lab'
      ? `lab ${t.pods} pods, ${t.policy} ${t.mode.toUpperCase()}`
      : t.kind === 'kubernetes'
        ? `${t.namespace}/${t.service ?? t.selector}${t.balancer ? ` behind ${t.balancer}` : ''} at ${t.url}`
        : t.url;
  const l = spec.load;
  const load =
    l.model === 'open'
      ? `open ${l.stages.map((s) => `${s.ramp ? '↗' : ''}${s.rate}/s×${s.duration}`).join(' ')}`
      : `closed ${l.users} users +${l.spawnRate}/s ${l.duration}`;
  const c = spec.connections;
  const conn = `${c.keepAlive ? 'keep-alive' : 'no keep-alive'}, ≤${c.maxConnections} conns`;
  return safeLine(`${target} · ${load} · ${conn}`);
}

export function render(t: RunTick, spec: TestSpec, colour: boolean, columns: number, caption?: string): string {
  const width = Math.max(10, Math.min(40, columns - 52));
  const progress = t.expectedDuration > 0 ? t.elapsed / t.expectedDuration : 0;
  const lines: string[] = [];
  lines.push(`${paint(colour, 'bold', safeLine(spec.name))}  ${paint(colour, 'dim', describeSpec(spec))}`);
  if (caption) lines.push(paint(colour, 'cyan', safeLine(caption)));
  lines.push(`${bar(progress, width)} ${t.elapsed.toFixed(0)}s / ${t.expectedDuration.toFixed(0)}s`);
  lines.push(paint(colour, 'dim', `${pad('pod', 10)}${lpad('req/s', 8)}${lpad('share', 8)}${lpad('expect', 8)}${lpad('p99', 9)}  share of last second`));
  const maxShare = Math.max(0.0001, ...t.pods.map((p) => Math.max(p.share, p.expectedShare)));
  for (const p of t.pods) {
    const name = safeLine(p.eligible ? p.name : `${p.name}✗`);
    const b = bar(p.share / maxShare, width);
    const hot = p.expectedShare > 0 && Math.abs(p.share - p.expectedShare) / p.expectedShare > 0.25;
    lines.push(
      `${pad(name, 10)}${lpad(int(p.requests), 8)}${lpad(pct(p.share), 8)}${lpad(pct(p.expectedShare), 8)}${lpad(secs(p.latency.p99), 9)}  ${paint(colour, hot ? 'yellow' : 'green', b)}`,
    );
  }
  const w = t.window;
  const span = w.partial ? `${paint(colour, 'dim', `(last ${(t.elapsed % 1).toFixed(1)}s, partial)`)} ` : '';
  lines.push(`window  ${span}${int(w.rps)} req/s  err ${int(w.errors)}  p50 ${secs(w.latency.p50)}  p99 ${secs(w.latency.p99)}  ${balancePhrase(w.balance, colour)}`);
  const tb = t.totals.balance;
  lines.push(`total   ${int(t.totals.requests)} req  err ${int(t.totals.errors)}  ${balancePhrase(tb, colour)}  χ² p=${tb.chiSquareP.toPrecision(2)}`);
  return lines.join('\n');
}

/** One line per second, for logs and pipes (stdout not a terminal). */
export function plainLine(t: RunTick): string {
  const w = t.window;
  const pods = t.pods.map((p) => `${safeLine(p.name)}=${p.requests}`).join(' ');
  return `t=${t.elapsed.toFixed(w.partial ? 1 : 0)}s${w.partial ? ' partial' : ''} rps=${Math.round(w.rps)} err=${w.errors} p99=${secs(w.latency.p99)} score=${score(w.balance.score)} ${w.balance.verdict} basis=${w.balance.basis} total=${t.totals.requests} ${pods}`;
}
