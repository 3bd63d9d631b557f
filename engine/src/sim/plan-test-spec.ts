import { thresholdSpecOf } from '../analysis/thresholds.js';
import { ValidationError } from '../core/errors.js';
import { DEFAULT_POD_BEHAVIOUR } from '../spec/pod-behaviour.js';
import { DEFAULT_LOAD_OPTIONS } from '../load/load-options.js';
import { capacityOf, planLab, planLoad } from '../runs/plan.js';
import type { TestSpec } from '../spec/test-spec.js';
import { maxWindowsFor, windowFor } from './plan-simulation.js';
import { simFaults } from './spec-faults.js';
import type { SimLoad, SimPlan } from './sim-plan.js';
import { labPodName } from '../spec/pod-names.js';

/** What a simulation adds to a lab TestSpec (a live lab has one balancer). */
export interface TestSpecSimOptions {
  /** Balancer instances (default 1, as the lab's proxy). */
  balancers?: number;
  spread?: 'round-robin' | 'random';
  /** Seed when the spec has none (default 1). */
  seed?: number;
}

/**
 * Plans the simulation of a lab TestSpec, without sockets: the lab's pods (behaviour resolved
 * by runs/plan.ts exactly as for a live run, over the lab's defaults), its proxy's policy and
 * mode, the load generator's schedule (the open model's deterministic arrival schedule, or the
 * closed model's users), connections, timeout and maxInflight, and the spec's `expect` and
 * thresholds. The Result carries the spec unchanged, so it lines up with a live run of it.
 * @throws ValidationError when the target is not the lab (a URL target's pods are unknown).
 */
export function planFromTestSpec(spec: TestSpec, options: TestSpecSimOptions = {}): SimPlan {
  if (spec.target.kind !== 'lab') {
    throw new ValidationError([{ path: 'target.kind', message: `only a lab target can be simulated (its pods are known), got "${spec.target.kind}"` }]);
  }
  const seed = spec.seed ?? options.seed ?? 1;
  const lab = planLab(spec.target, seed);
  const load = planLoad(spec);
  const capacity = capacityOf(spec);
  const first = { ...DEFAULT_POD_BEHAVIOUR, ...lab.pods[0]?.behaviour };
  const faults = simFaults(spec.faults ?? [], lab.pods.map((p) => p.name), first, seed);
  // Pods a scale-up adds copy pod-1 with weight 1, as the lab's do.
  const extra = Array.from({ length: faults.maxPods - lab.pods.length }, (_, i) => ({ name: labPodName(lab.pods.length + i + 1), behaviour: lab.pods[0]?.behaviour ?? {}, weight: 1 }));
  const pods = [...lab.pods, ...extra].map((p) => {
    const b = { ...DEFAULT_POD_BEHAVIOUR, ...p.behaviour };
    return {
      name: p.name,
      serviceTime: b.latency,
      concurrency: b.concurrency,
      speed: 1,
      errorRate: b.errorRate,
      errorStatus: b.errorStatus,
      weight: p.weight,
      capacity: capacity(p.name),
    };
  });
  const m = load.model;
  const simLoad: SimLoad =
    m.model === 'open'
      ? { model: 'open', arrivals: { process: 'constant', stages: m.stages } }
      : { model: 'closed', users: m.users, spawnRate: m.spawnRate, thinkTime: m.thinkTime };
  const durationLimit = m.model === 'open' ? m.stages.reduce((a, s) => a + s.durationMs, 0) : m.durationMs;
  return {
    name: spec.name,
    seed,
    policy: lab.policy,
    policyOptions: lab.policyOptions,
    mode: lab.mode,
    balancers: options.balancers ?? 1,
    spread: options.spread ?? 'round-robin',
    pods,
    initialPods: lab.pods.length,
    load: simLoad,
    durationMs: durationLimit,
    maxRequests: Infinity,
    expectedMs: durationLimit,
    connections: { keepAlive: load.keepAlive, maxConnections: load.maxConnections, requestsPerConnection: load.requestsPerConnection },
    timeoutMs: load.timeoutMs,
    maxInflight: DEFAULT_LOAD_OPTIONS.maxInflight,
    windowMs: windowFor(1000, durationLimit, maxWindowsFor(pods.length)),
    maxWindows: maxWindowsFor(pods.length),
    slowStart: lab.pods[0]?.behaviour.warmup,
    events: faults.events,
    notSimulated: faults.skipped,
    thresholds: thresholdSpecOf(spec.thresholds),
    hashKeys: 1000,
    request: { path: spec.request.path, ...(spec.request.headers ? { headers: spec.request.headers } : {}) },
    spec,
  };
}
