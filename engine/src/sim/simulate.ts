import { judgeRun } from '../analysis/run-judgement.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { PodResult, Result } from '../core/result.js';
import { latencySeconds, round, toSeconds } from '../core/result-numbers.js';
import type { SimPlan } from './sim-plan.js';
import { Simulator } from './simulator.js';

/** Options of {@link simulate} that are not part of the workload. */
export interface SimulateOptions {
  /** Result id; default `sim-<seed>`. */
  id?: string;
  /**
   * Wall-clock start written in the Result (`startedAt`; `endedAt` adds the virtual duration).
   * Default: the Unix epoch, so that a seeded run's Result is the same on every run.
   */
  startedAt?: Date;
  /** Measures how long the simulation took (default: the monotonic system clock). */
  wallClock?: Clock;
}

/** A simulated run: the Result a live run would give, plus how fast it was simulated. */
export interface SimOutcome {
  result: Result;
  /** Requests started (answered, failed or timed out; not counting dropped ones). */
  simulatedRequests: number;
  /** Events handled by the loop (arrivals, departures, wake-ups). */
  events: number;
  /** Length of the run in virtual seconds. */
  virtualSeconds: number;
  /** Wall-clock seconds the simulation took. */
  wallSeconds: number;
  /** simulatedRequests / wallSeconds. */
  simulatedRequestsPerSecond: number;
}

/**
 * Simulates `plan` in virtual time and returns the same Result shape as a live run: totals,
 * errors by kind, latency percentiles in (virtual) seconds, per-pod shares, expected shares,
 * busy fraction, the balance score and verdict, thresholds, and one timeline point per window.
 * Deterministic: the same plan (seed included) gives the same Result. Pure: no I/O.
 */
export function simulate(plan: SimPlan, options: SimulateOptions = {}): SimOutcome {
  const wall = options.wallClock ?? systemClock;
  const began = wall.now();
  const sim = new Simulator(plan);
  const endMs = sim.run();
  return outcome(sim, plan, endMs, (wall.now() - began) / 1000, options);
}

/** Options of {@link simulateAsync}. */
export interface SimulateAsyncOptions extends SimulateOptions {
  /** Events handled between two yields (default 200,000: a few tens of ms). */
  sliceEvents?: number;
  /** Lets the host's event loop run between slices (default: a zero-delay timer). */
  yieldNow?: () => Promise<void>;
}

/**
 * {@link simulate} in slices, yielding between them, so that a server simulating for a few
 * seconds keeps answering (live ticks, health checks) meanwhile. Same Result as simulate().
 * Wall time counts only the slices, not the time spent yielded.
 */
export async function simulateAsync(plan: SimPlan, options: SimulateAsyncOptions = {}): Promise<SimOutcome> {
  const wall = options.wallClock ?? systemClock;
  const slice = options.sliceEvents ?? 200_000;
  const yieldNow = options.yieldNow ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
  const sim = new Simulator(plan);
  let busy = 0;
  for (;;) {
    const began = wall.now();
    const done = sim.step(slice);
    busy += wall.now() - began;
    if (done) break;
    await yieldNow();
  }
  const began = wall.now();
  const endMs = sim.end();
  return outcome(sim, plan, endMs, (busy + wall.now() - began) / 1000, options);
}

/** The Result plus the simulator's own figures. */
export type SimulationAnswer = Result & {
  simulatedRequestsPerSecond: number;
  simulation: { requests: number; events: number; virtualSeconds: number; wallSeconds: number; balancers: number; mode: 'l7' | 'l4'; seed: number; notSimulated: string[] };
};

/** What `scale simulate --json` prints and `POST /api/simulate` answers. */
export function simulationAnswer(o: SimOutcome, plan: SimPlan): SimulationAnswer {
  return {
    ...o.result,
    simulatedRequestsPerSecond: o.simulatedRequestsPerSecond,
    simulation: {
      requests: o.simulatedRequests,
      events: o.events,
      virtualSeconds: o.virtualSeconds,
      wallSeconds: o.wallSeconds,
      balancers: plan.balancers,
      mode: plan.mode,
      seed: plan.seed,
      notSimulated: plan.notSimulated ?? [],
    },
  };
}

function outcome(sim: Simulator, plan: SimPlan, endMs: number, seconds: number, options: SimulateOptions): SimOutcome {
  const wallSeconds = Math.max(1e-9, seconds);
  const result = buildResult(sim, plan, endMs, options);
  return {
    result,
    simulatedRequests: sim.started,
    events: sim.events,
    virtualSeconds: endMs / 1000,
    wallSeconds,
    simulatedRequestsPerSecond: Math.round(sim.started / wallSeconds),
  };
}

function buildResult(sim: Simulator, plan: SimPlan, endMs: number, options: SimulateOptions): Result {
  const rec = sim.rec;
  const pods = sim.pods;
  const total = rec.tracker.total();
  const duration = endMs / 1000;
  const reported = rec.reportedPods();
  let attributed = 0;
  for (const p of reported) attributed += pods.totalCount[p];
  const podResults: PodResult[] = reported.map((p) => {
    const name = pods.names[p];
    const lat = rec.podLatency(p);
    return {
      name,
      requests: pods.totalCount[p],
      share: attributed > 0 ? pods.totalCount[p] / attributed : 0,
      expectedShare: rec.tracker.expectedShare(name),
      errors: pods.totalErrors[p],
      latency: { p50: toSeconds(lat.p50), p99: toSeconds(lat.p99) },
      ...utilisationOf(rec.tracker.utilisation(name, pods.concurrency[p])),
      eligible: total.pods.includes(name),
    };
  });
  const lat = rec.totalLatency();
  const requests = rec.requests;
  const judged = judgeRun(total, {
    requests,
    errors: rec.errorCount,
    errorsByKind: rec.errors,
    dropped: rec.dropped,
    unattributed: 0,
    attributed,
    p99Ms: lat.p99,
    thresholds: plan.thresholds,
  });
  const statusCodes: Record<string, number> = {};
  if (rec.ok > 0) statusCodes['200'] = rec.ok;
  for (const [code, n] of [...rec.statusCodes].sort((a, b) => a[0] - b[0])) statusCodes[String(code)] = n;
  const startedAt = options.startedAt ?? new Date(0);
  return {
    id: options.id ?? `sim-${plan.seed}`,
    spec: plan.spec,
    status: 'finished',
    startedAt: startedAt.toISOString(),
    endedAt: new Date(startedAt.getTime() + endMs).toISOString(),
    duration: round(duration, 3),
    totals: { requests, errors: rec.errorCount, rps: duration > 0 ? round(requests / duration, 2) : 0, errorRate: judged.errorRate, dropped: rec.dropped },
    errorsByKind: { ...rec.errors },
    statusCodes,
    latency: latencySeconds(lat),
    pods: podResults,
    balance: judged.balance,
    thresholds: judged.thresholds,
    timeline: rec.timeline,
    window: sim.windowMs / 1000,
  };
}

/** A pod's utilisation as the Result shows it (the tracker's definition, shared with live runs). */
function utilisationOf(u: number | undefined): { utilisation?: number } {
  return u === undefined ? {} : { utilisation: round(u, 6) };
}
