import { analyseBalance } from '../../src/analysis/balance.js';
import type { FaultEvent } from '../../src/chaos/fault.js';
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

/** When runUntil stops a run: `seconds` after a fault event, and/or once it has sent `requests`. */
export interface StopWhen {
  /** True for the fault event to wait for (its arrival: a start once fully applied, an end once fully rolled back). */
  after?: (e: FaultEvent) => boolean;
  /** Seconds to go on after that event. */
  seconds?: number;
  /** Answered requests of the whole run. */
  requests?: number;
}

/**
 * Runs a TestSpec and stops it when `when` says, so that a test gets the windows and samples
 * it needs however slow a busy machine is, without a long fixed duration. The spec's load must
 * outlast that (it is the upper bound).
 */
export async function runUntil(input: TestSpecInput, when: StopWhen): Promise<Result> {
  const run = new TestRun(parseTestSpec(input), runDeps());
  let at: number | undefined;
  run.on('fault', (e) => {
    if (at === undefined && when.after?.(e)) at = Date.now();
  });
  run.on('tick', (t) => {
    const timeUp = when.after === undefined || (at !== undefined && Date.now() >= at + (when.seconds ?? 0) * 1000);
    const enough = when.requests === undefined || t.totals.requests >= when.requests;
    if (timeUp && enough) run.stop();
  });
  await run.start();
  return run.finished;
}

/** `until` for runUntil: true at the n-th event of `kind` (of `type`, when given). */
export function nth(n: number, kind: FaultEvent['kind'], type?: string): (e: FaultEvent) => boolean {
  let seen = 0;
  return (e) => e.kind === kind && (type === undefined || e.fault.type === type) && ++seen === n;
}
