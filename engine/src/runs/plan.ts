import { parseDistribution, type Distribution } from '../core/distribution.js';
import { durationMs, formatSpecDuration } from '../core/duration.js';
import type { PodBehaviour } from '../spec/pod-behaviour.js';
import type { HashKeySource, PolicyOptions } from '../policies/policy.js';
import { capacityLookup } from '../spec/capacity.js';
import { podNamesOf, type LabTarget, type PodBehaviourInput, type TestSpec } from '../spec/test-spec.js';
import { labPodNames } from '../spec/pod-names.js';

/**
 * Resolves a validated TestSpec into the numbers the lab and the load generator take
 * (milliseconds, parsed distributions). The spec was validated, so parsing cannot fail here.
 */
/** LoadOptions without the target (url, podHeader), which the opened target supplies. */
export interface LoadPlan {
  model:
    | { model: 'open'; stages: Array<{ rate: number; durationMs: number; ramp: boolean }> }
    | { model: 'closed'; users: number; spawnRate: number; durationMs: number; thinkTime?: Distribution };
  method: string;
  path: string;
  headers?: Record<string, string>;
  keepAlive: boolean;
  maxConnections: number;
  requestsPerConnection: number;
  timeoutMs: number;
  /** Worker threads in this process (the spec's `threads`). */
  threads: number;
  /** Worker processes (the spec's `load.workers`); 1 runs the load in this process. */
  workers: number;
  seed?: number;
}

export interface LabPlan {
  pods: Array<{ name: string; behaviour: Partial<PodBehaviour>; weight: number }>;
  policy: LabTarget['policy'];
  policyOptions: Partial<PolicyOptions>;
  mode: 'l7' | 'l4';
  ejectAfterFailures: number;
  seed?: number;
}

/** Default load-generator threads: 1, which the loadgen benchmark shows fastest on 2 cores. */
export const DEFAULT_THREADS = 1;

export function planLoad(spec: TestSpec): LoadPlan {
  const l = spec.load;
  const model: LoadPlan['model'] =
    l.model === 'open'
      ? { model: 'open', stages: l.stages.map((s) => ({ rate: s.rate, durationMs: durationMs(s.duration), ramp: s.ramp })) }
      : {
          model: 'closed',
          users: l.users,
          spawnRate: l.spawnRate,
          durationMs: durationMs(l.duration),
          thinkTime: l.thinkTime ? dist(l.thinkTime) : undefined,
        };
  return {
    model,
    method: spec.request.method,
    path: spec.request.path,
    headers: spec.request.headers,
    keepAlive: spec.connections.keepAlive,
    maxConnections: spec.connections.maxConnections,
    requestsPerConnection: spec.connections.requestsPerConnection,
    timeoutMs: durationMs(spec.request.timeout),
    threads: spec.threads ?? DEFAULT_THREADS,
    workers: spec.load.workers ?? 1,
    seed: spec.seed,
  };
}

export function planLab(t: LabTarget, seed?: number): LabPlan {
  const pods = labPodNames(t.pods).map((name, i) => {
    const warmup = t.warmup ? { warmup: { durationMs: durationMs(t.warmup.duration), factor: t.warmup.factor } } : {};
    return { name, behaviour: { ...behaviourFor(name, t.podBehaviour ?? []), ...warmup }, weight: t.weights?.[i] ?? 1 };
  });
  return { pods, policy: t.policy, policyOptions: policyOptionsOf(t.policyOptions), mode: t.mode, ejectAfterFailures: t.ejectAfterFailures, seed };
}

/** A spec's policy options in the policies' internal units (durations in ms, parsed hash key). */
export function policyOptionsOf(o: LabTarget['policyOptions'] = {}): Partial<PolicyOptions> {
  const out: Partial<PolicyOptions> = {};
  if (o.choices !== undefined) out.choices = o.choices;
  if (o.decay !== undefined) out.decayMs = durationMs(o.decay);
  if (o.hashAlgorithm !== undefined) out.hashAlgorithm = o.hashAlgorithm;
  if (o.hashKey !== undefined) out.hashKey = hashKey(o.hashKey);
  if (o.virtualNodes !== undefined) out.virtualNodes = o.virtualNodes;
  if (o.slowStart !== undefined) out.slowStartMs = durationMs(o.slowStart);
  return out;
}

/** Later podBehaviour entries override earlier ones, field by field. */
export function behaviourFor(pod: string, entries: readonly PodBehaviourInput[]): Partial<PodBehaviour> {
  const out: Partial<PodBehaviour> = {};
  for (const e of entries) {
    if (e.pods && !e.pods.includes(pod)) continue;
    if (e.latency !== undefined) out.latency = dist(e.latency);
    if (e.errorRate !== undefined) out.errorRate = e.errorRate;
    if (e.errorStatus !== undefined) out.errorStatus = e.errorStatus;
    if (e.concurrency !== undefined) out.concurrency = e.concurrency;
    if (e.responseBytes !== undefined) out.responseBytes = e.responseBytes;
  }
  return out;
}

/** Capacity of a pod by name: spec.expect.capacity by name, or in the order of the target's pods; 1 otherwise. */
export function capacityOf(spec: TestSpec): (pod: string) => number {
  return capacityLookup(spec.expect?.capacity, podNamesOf(spec.target) ?? []);
}

/** Inverse of policyOptionsOf: internal options as a spec writes them (durations as a user would: `20s`). */
export function policyOptionsSpec(o: Partial<PolicyOptions>): NonNullable<LabTarget['policyOptions']> {
  const out: NonNullable<LabTarget['policyOptions']> = {};
  if (o.choices !== undefined) out.choices = o.choices;
  if (o.decayMs !== undefined) out.decay = formatSpecDuration(o.decayMs);
  if (o.hashAlgorithm !== undefined) out.hashAlgorithm = o.hashAlgorithm;
  if (o.hashKey !== undefined) out.hashKey = o.hashKey.from === 'header' ? `header:${o.hashKey.header}` : o.hashKey.from;
  if (o.virtualNodes !== undefined) out.virtualNodes = o.virtualNodes;
  if (o.slowStartMs !== undefined && o.slowStartMs > 0) out.slowStart = formatSpecDuration(o.slowStartMs);
  return out;
}

function hashKey(s: string): HashKeySource {
  if (s === 'client') return { from: 'client' };
  if (s === 'path') return { from: 'path' };
  return { from: 'header', header: s.slice('header:'.length).toLowerCase() };
}

function dist(s: string): Distribution {
  const d = parseDistribution(s);
  if (typeof d === 'string') throw new RangeError(d);
  return d;
}
