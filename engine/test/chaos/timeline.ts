import { analyseBalance } from '../../src/analysis/balance.js';
import type { FaultSummary, Result, TimelinePoint } from '../../src/core/result.js';
import { runDeps } from '../../src/runs/default-deps.js';
import { TestRun } from '../../src/runs/test-run.js';
import type { TestSpecInput } from '../../src/spec/test-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';

/** The fault of `type` (exactly one) in a Result. */
export function faultOf(r: Result, type: string): FaultSummary {
  const found = (r.faults ?? []).filter((f) => f.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type} fault, got ${JSON.stringify(r.faults)}`);
  return found[0];
}

/** Windows lying wholly inside [from, to] seconds (a window t covers (t - 1, t]). */
export function windowsWithin(r: Result, from: number, to: number): TimelinePoint[] {
  return r.timeline.filter((w) => w.t - 1 >= from && w.t <= to);
}

/** Requests of each pod summed over `windows`. */
export function sumPods(windows: readonly TimelinePoint[], pods: readonly string[]): number[] {
  return pods.map((p) => windows.reduce((a, w) => a + (w.pods[p] ?? 0), 0));
}

/** Jain's index of the counts (equal capacity). */
export function jain(counts: readonly number[]): number {
  return analyseBalance(counts).score;
}

/** Median of a list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs a TestSpec and stops it `seconds` after the fault of `type` started (its recorded
 * start), so that a test gets the windows it needs however long the fault took to apply on a
 * busy machine, without a long fixed duration. The spec's load must outlast that.
 */
export async function runUntilAfterFault(input: TestSpecInput, type: string, seconds: number): Promise<Result> {
  const run = new TestRun(parseTestSpec(input), runDeps());
  let startedAt: number | undefined;
  run.on('fault', (e) => {
    if (e.kind === 'started' && e.fault.type === type) startedAt = Date.parse(e.fault.startedAt);
  });
  let loadStart: number | undefined;
  run.on('status', (s) => {
    if (s === 'running') loadStart = Date.now();
  });
  run.on('tick', (t) => {
    if (startedAt !== undefined && loadStart !== undefined && t.elapsed >= (startedAt - loadStart) / 1000 + seconds) run.stop();
  });
  await run.start();
  return run.finished;
}
