import { EventEmitter } from 'node:events';
import type { LatencySummary, LoadReport, LoadTick, PodCounts } from '../../src/load/load-report.js';
import type { LoadHandle, RunDeps } from '../../src/runs/test-run.js';
import type { Target, TargetPod } from '../../src/targets/target.js';

/**
 * A hand-driven load and target for TestRun tests: the test pushes ticks and ends the load, so
 * every number a run computes is exact. Same pattern as test/runs/test-run.test.ts.
 */
export class ScriptedLoad extends EventEmitter implements LoadHandle {
  done: Promise<LoadReport>;
  private end!: (r: LoadReport) => void;
  stopped = false;
  /** `onStop`: what stop() ends the load with (as the real load drains); without it the test ends it. */
  constructor(private readonly onStop?: () => LoadReport) {
    super();
    this.done = new Promise((r) => (this.end = r));
  }
  stop(): void {
    this.stopped = true;
    if (this.onStop) this.end(this.onStop());
  }
  finish(report: LoadReport): void {
    this.end(report);
  }
}

/** A latency summary in ms: p99 twice and max three times the typical value. */
export const lat = (ms: number): LatencySummary => ({ mean: ms, p50: ms, p90: ms, p99: ms * 2, max: ms * 3, count: 1 });
export const noErrors = () => ({ connect: 0, timeout: 0, status: 0, reset: 0, other: 0 });

export function podCounts(counts: Record<string, number>, ms = 5): Record<string, PodCounts> {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, { requests: v, errors: 0, latency: lat(ms) }]));
}

/** The LoadTick of second `second` with these per-pod counts (all 200 OK). */
export function scriptedTick(second: number, counts: Record<string, number>, ms = 5): LoadTick {
  const requests = Object.values(counts).reduce((a, b) => a + b, 0);
  return { second, elapsedMs: second * 1000, requests, errors: noErrors(), scheduled: requests, inflight: 0, users: 0, latency: lat(ms), pods: podCounts(counts, ms), statusCodes: { 200: requests } };
}

/** A LoadReport over `seconds` with these per-pod totals. */
export function scriptedReport(seconds: number, counts: Record<string, number>, endedAt = 0, ms = 5): LoadReport {
  const requests = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    startedAt: 0, endedAt, durationMs: seconds * 1000, stoppedEarly: false, requests, errors: noErrors(),
    statusCodes: { 200: requests }, latency: lat(ms), pods: podCounts(counts, ms), timeline: [], workers: 1, dropped: 0,
  };
}

/** RunDeps over a fake lab target whose pods are `podStates()` at each tick. */
export function scriptedHarness(podStates: () => TargetPod[], now = () => new Date('2026-11-29T12:00:00Z')) {
  const load = new ScriptedLoad();
  let closed = 0;
  const target: Target = { kind: 'lab', url: 'http://127.0.0.1:1/', podHeader: 'x-scale-pod', pods: async () => podStates(), close: async () => void closed++ };
  const deps: RunDeps = { openTarget: async () => target, startLoad: () => load, now };
  return { load, deps, closedCount: () => closed };
}
