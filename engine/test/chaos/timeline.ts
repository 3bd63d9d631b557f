import { analyseBalance } from '../../src/analysis/balance.js';
import type { FaultSummary, Result, TimelinePoint } from '../../src/core/result.js';

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
