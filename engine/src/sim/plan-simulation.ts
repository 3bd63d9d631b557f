import { thresholdSpecOf } from '../analysis/thresholds.js';
import { mean, parseDistribution, type Distribution } from '../core/distribution.js';
import { durationMs, formatSpecDuration } from '../core/duration.js';
import type { ArrivalStage } from '../load/schedule.js';
import { planLab } from '../runs/plan.js';
import type { LabTarget, TestSpec } from '../spec/test-spec.js';
import { capacityLookup } from '../spec/capacity.js';
import { parseWith } from '../spec/validate.js';
import type { SimArrivals, SimEvent, SimLoad, SimPlan, SimPodPlan } from './sim-plan.js';
import { SimSpecSchema, type SimSpec } from './sim-spec.js';

/** Requests simulated when a spec gives neither `requests` nor a duration. */
export const DEFAULT_SIM_REQUESTS = 100_000;
/**
 * Bounds of a simulated timeline, whatever the run's length: at most MAX_WINDOWS windows and
 * MAX_TIMELINE_CELLS windows × pods (each window lists every pod's count), so a Result stays a
 * few MB. A longer run gets longer windows (whole seconds), stated in the Result's `window`.
 */
export const MAX_WINDOWS = 1_000;
export const MAX_TIMELINE_CELLS = 50_000;

/** Windows a timeline over `pods` pods may hold (even, so that pairs of windows can merge). */
export function maxWindowsFor(pods: number): number {
  const n = Math.min(MAX_WINDOWS, Math.floor(MAX_TIMELINE_CELLS / Math.max(1, pods)));
  return Math.max(10, n - (n % 2));
}

/** Validates a simulation spec and fills its defaults. @throws ValidationError listing every problem. */
export function parseSimSpec(input: unknown): SimSpec {
  return parseWith(SimSpecSchema, input);
}

/** Resolves a validated simulation spec into the plan the simulator runs. */
export function planSimulation(s: SimSpec): SimPlan {
  const most = Math.max(s.pods, ...(s.events ?? []).map((e) => (e.type === 'scale' ? e.to : 0)));
  // The lab planner resolves pod behaviour entries and policy options exactly as for a live run.
  const lab = planLab(labTargetOf(s, most), s.seed);
  const base = dist(s.serviceTime);
  const capacity = capacityLookup(s.expect?.capacity, lab.pods.map((p) => p.name));
  const pods: SimPodPlan[] = lab.pods.map((p) => ({
    name: p.name,
    serviceTime: p.behaviour.latency ?? base,
    concurrency: p.behaviour.concurrency ?? s.podConcurrency,
    speed: speedOf(p.name, s),
    errorRate: p.behaviour.errorRate ?? 0,
    errorStatus: p.behaviour.errorStatus ?? 500,
    weight: p.weight,
    capacity: capacity(p.name),
  }));
  const initial = pods.slice(0, s.pods);
  const served = initial.reduce((a, p) => a + (p.concurrency * p.speed * 1000) / Math.max(1e-9, mean(p.serviceTime)), 0);
  const { load, durationMs: loadMs, rate } = loadOf(s, served);
  const durationLimit = loadMs ?? (s.duration !== undefined ? durationMs(s.duration) : Infinity);
  const maxRequests = s.requests ?? (durationLimit === Infinity ? DEFAULT_SIM_REQUESTS : Infinity);
  const events: SimEvent[] = (s.events ?? [])
    .map((e): SimEvent => (e.type === 'scale' ? { atMs: durationMs(e.at), type: 'scale', to: e.to } : { atMs: durationMs(e.at), type: e.type, pods: e.pods }))
    .sort((a, b) => a.atMs - b.atMs);
  const expectedMs = durationLimit < Infinity ? durationLimit : rate > 0 ? (maxRequests * 1000) / rate : closedEstimate(s, initial, maxRequests, served);
  const plan: SimPlan = {
    name: s.name,
    seed: s.seed,
    policy: s.policy,
    policyOptions: lab.policyOptions,
    mode: s.mode,
    balancers: s.balancers,
    spread: s.spread,
    pods,
    initialPods: s.pods,
    load,
    durationMs: durationLimit,
    maxRequests,
    expectedMs,
    connections: s.connections,
    timeoutMs: s.timeout !== undefined ? durationMs(s.timeout) : Infinity,
    maxInflight: s.maxInflight,
    windowMs: windowFor(durationMs(s.window), expectedMs, maxWindowsFor(pods.length)),
    maxWindows: maxWindowsFor(pods.length),
    slowStart: s.warmup ? { durationMs: durationMs(s.warmup.duration), factor: s.warmup.factor } : undefined,
    events,
    thresholds: thresholdSpecOf(s.thresholds),
    hashKeys: s.hashKeys,
    spec: testSpecOf(s, rate, Number.isFinite(expectedMs) ? expectedMs : 0),
  };
  return plan;
}

/** The window length: as asked, or whole seconds long enough for at most `maxWindows` windows. */
export function windowFor(windowMs: number, expectedMs: number, maxWindows = MAX_WINDOWS): number {
  if (!(expectedMs / windowMs > maxWindows)) return windowMs;
  return Math.ceil(expectedMs / maxWindows / 1000) * 1000;
}

function labTargetOf(s: SimSpec, pods: number): LabTarget {
  return {
    kind: 'lab',
    pods,
    policy: s.policy,
    mode: s.mode,
    weights: s.weights,
    policyOptions: s.policyOptions,
    podBehaviour: s.podBehaviour,
    ejectAfterFailures: 3,
  };
}

/** Later entries override earlier ones, as for every other pod behaviour field. */
function speedOf(name: string, s: SimSpec): number {
  let speed = 1;
  for (const b of s.podBehaviour ?? []) if ((!b.pods || b.pods.includes(name)) && b.speed !== undefined) speed = b.speed;
  return speed;
}

function loadOf(s: SimSpec, capacity: number): { load: SimLoad; durationMs?: number; rate: number } {
  const l = s.load;
  if (l.model === 'closed') {
    return { load: { model: 'closed', users: l.users, spawnRate: l.spawnRate, thinkTime: l.thinkTime ? dist(l.thinkTime) : undefined }, rate: 0 };
  }
  if (l.stages) {
    const stages: ArrivalStage[] = l.stages.map((st) => ({ rate: st.rate, durationMs: durationMs(st.duration), ramp: st.ramp }));
    const total = stages.reduce((a, st) => a + st.durationMs, 0);
    const arrivals: SimArrivals = l.arrival === 'constant' ? { process: 'constant', stages } : { process: 'poisson', stages };
    const n = stages.reduce((a, st, i) => a + ((st.ramp ? (st.rate + (stages[i - 1]?.rate ?? 0)) / 2 : st.rate) * st.durationMs) / 1000, 0);
    return { load: { model: 'open', arrivals }, durationMs: total, rate: total > 0 ? (n * 1000) / total : 0 };
  }
  const rate = l.rate ?? (l.load ?? 0) * capacity;
  const endMs = s.duration !== undefined ? durationMs(s.duration) : Infinity;
  const arrivals: SimArrivals =
    l.arrival === 'bursty'
      ? { process: 'bursty', rate, onMs: durationMs(l.burst?.on ?? '1s'), offMs: durationMs(l.burst?.off ?? '1s') }
      : { process: l.arrival, stages: [{ rate, durationMs: endMs }] };
  return { load: { model: 'open', arrivals }, rate };
}

/**
 * Closed model without a duration: the users' own pace (a request per service + think time
 * each), capped by what the pods can serve (`capacity` requests/s), so that users queueing on
 * too few pods do not make the run look short.
 */
function closedEstimate(s: SimSpec, pods: SimPodPlan[], requests: number, capacity: number): number {
  if (s.load.model !== 'closed') return Infinity;
  const service = pods.reduce((a, p) => a + mean(p.serviceTime) / p.speed, 0) / Math.max(1, pods.length);
  const think = s.load.thinkTime ? mean(dist(s.load.thinkTime)) : 0;
  const perSecond = Math.min((s.load.users * 1000) / Math.max(1e-9, service + think), capacity > 0 ? capacity : Infinity);
  return (requests * 1000) / perSecond;
}

/**
 * The nearest TestSpec, for the Result's `spec` (what a live run of this workload would carry).
 * Not validated: a simulation may exceed the lab's limits (pods, rate).
 */
function testSpecOf(s: SimSpec, rate: number, expectedMs: number): TestSpec {
  // The duration as the user wrote it when they gave one (the report header shows `40s`), else the
  // estimate, written in the units a user would use.
  const duration = s.duration ?? formatSpecDuration(Math.max(1, expectedMs));
  const loadSpec: TestSpec['load'] =
    s.load.model === 'closed'
      ? { model: 'closed', users: s.load.users, spawnRate: s.load.spawnRate, duration, thinkTime: s.load.thinkTime }
      : s.load.stages
        ? { model: 'open', stages: s.load.stages }
        : { model: 'open', stages: [{ rate, duration, ramp: false }] };
  const c = s.connections;
  return {
    name: s.name,
    target: {
      kind: 'lab',
      pods: s.pods,
      policy: s.policy,
      mode: s.mode,
      weights: s.weights,
      policyOptions: s.policyOptions,
      podBehaviour: [{ latency: s.serviceTime, concurrency: s.podConcurrency }, ...(s.podBehaviour ?? []).map(({ speed: _speed, ...rest }) => rest)],
      ...(s.warmup ? { warmup: s.warmup } : {}),
      ejectAfterFailures: 3,
    },
    load: loadSpec,
    connections: { keepAlive: c?.keepAlive ?? true, maxConnections: c?.maxConnections || 10_000, requestsPerConnection: c?.requestsPerConnection ?? 0 },
    request: { method: 'GET', path: '/', timeout: s.timeout ?? '10s' },
    expect: s.expect,
    thresholds: s.thresholds,
    seed: s.seed,
  };
}

function dist(text: string): Distribution {
  const d = parseDistribution(text);
  if (typeof d === 'string') throw new RangeError(d);
  return d;
}
