import { mean, type Distribution } from '../core/distribution.js';
import type { Result } from '../core/result.js';
import { DEFAULT_POD_BEHAVIOUR } from '../spec/pod-behaviour.js';
import { behaviourFor } from '../runs/plan.js';
import type { TestSpec } from '../spec/test-spec.js';

/**
 * Fits a pod model (service-time distribution, concurrency, error rate per pod) from what a live
 * run measured, so the simulator can try candidate policies on "these pods".
 *
 * How, per pod:
 * - **shape**: a lognormal. Its median is p50 and its 99th percentile is p50·e^(2.326σ), so
 *   σ = ln(p99 / p50) / 2.326 (z of the 99th percentile); clamped to [0, 3].
 * - **mean**: busy time / requests when the target reports busy time (the lab does): that is the
 *   pod's own service time, without the proxy hop or time queued behind other requests. Else the
 *   lognormal's mean from the percentiles, p50·e^(σ²/2) (which includes any queueing: a
 *   saturated pod fits slower than it is, which still ranks it as the slow one).
 * - **concurrency**: what the target reports, else the spec's pod behaviour, else the lab default.
 * - **error rate**: errors / requests.
 * A pod that served nothing (e.g. left idle by L4 keep-alive) gets the request-weighted mean of
 * the pods that did: nothing says it differs from a typical pod.
 */

/** z of the 99th percentile of the standard normal. */
export const Z99 = 2.326348;
const MAX_SIGMA = 3;

/** What was measured on one pod (ms). */
export interface PodObservation {
  name: string;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** Milliseconds spent serving (summed over concurrent requests), when the target knows. */
  busyMs?: number;
  /** Requests the pod serves at once, when known. */
  concurrency?: number;
}

export interface FittedPod {
  name: string;
  serviceTime: Distribution;
  /** Fitted mean service time (ms). */
  meanMs: number;
  sigma: number;
  concurrency: number;
  errorRate: number;
  /** Where the mean came from; `typical` for a pod without data. */
  source: 'busy-time' | 'latency' | 'typical';
}

export interface PodModel {
  pods: FittedPod[];
}

/** Lognormal σ from p50 and p99 (0 when they are missing or p99 ≤ p50). */
export function sigmaFrom(p50Ms: number, p99Ms: number): number {
  if (!(p50Ms > 0) || !(p99Ms > p50Ms)) return 0;
  return Math.min(MAX_SIGMA, Math.log(p99Ms / p50Ms) / Z99);
}

/** Fits each observed pod; `defaultConcurrency` names each pod's concurrency when not observed. */
export function fitPods(obs: readonly PodObservation[], defaultConcurrency: (pod: string) => number = () => DEFAULT_POD_BEHAVIOUR.concurrency): PodModel {
  const fitted = obs.map((o): FittedPod | undefined => {
    if (o.requests <= 0) return undefined;
    const sigma = sigmaFrom(o.p50Ms, o.p99Ms);
    const busy = o.busyMs !== undefined && o.busyMs > 0;
    const meanMs = busy ? o.busyMs! / o.requests : o.p50Ms * Math.exp((sigma * sigma) / 2);
    return pod(o.name, meanMs, sigma, o.concurrency ?? defaultConcurrency(o.name), o.errors / o.requests, busy ? 'busy-time' : 'latency');
  });
  const known = fitted.flatMap((f, i) => (f ? [{ f, w: obs[i].requests }] : []));
  const total = known.reduce((a, k) => a + k.w, 0);
  const avg = (get: (f: FittedPod) => number) => (total > 0 ? known.reduce((a, k) => a + get(k.f) * k.w, 0) / total : 0);
  // With no pod observed at all, the lab's default pod stands in.
  const typical = { meanMs: avg((f) => f.meanMs) || mean(DEFAULT_POD_BEHAVIOUR.latency), sigma: avg((f) => f.sigma), errorRate: avg((f) => f.errorRate) };
  return {
    pods: obs.map((o, i) => fitted[i] ?? pod(o.name, typical.meanMs, typical.sigma, o.concurrency ?? defaultConcurrency(o.name), typical.errorRate, 'typical')),
  };
}

/**
 * Observations from a live run's Result: per-pod p50/p99 and errors, and busy time from the
 * per-pod utilisation (utilisation × duration × concurrency, undoing how TestRun computed it).
 */
export function observationsOf(r: Result): PodObservation[] {
  const conc = concurrencyOf(r.spec);
  return r.pods.map((p) => ({
    name: p.name,
    requests: p.requests,
    errors: p.errors,
    p50Ms: p.latency.p50 * 1000,
    p99Ms: p.latency.p99 * 1000,
    ...(p.utilisation !== undefined && r.duration > 0 ? { busyMs: p.utilisation * r.duration * 1000 * conc(p.name) } : {}),
    concurrency: conc(p.name),
  }));
}

/** Fits the pods of a live run's Result. */
export function fitFromResult(r: Result): PodModel {
  return fitPods(observationsOf(r), concurrencyOf(r.spec));
}

/** Each pod's concurrency from a lab spec's pod behaviour (the lab default otherwise). */
export function concurrencyOf(spec: TestSpec): (pod: string) => number {
  const entries = spec.target.kind === 'lab' ? (spec.target.podBehaviour ?? []) : [];
  return (name) => behaviourFor(name, entries).concurrency ?? DEFAULT_POD_BEHAVIOUR.concurrency;
}

/** Relative speed per pod (1 / mean service time), for speed-proportional weights. */
export function speedsOf(m: PodModel): Record<string, number> {
  return Object.fromEntries(m.pods.map((p) => [p.name, p.meanMs > 0 ? 1 / p.meanMs : 0]));
}

function pod(name: string, meanMs: number, sigma: number, concurrency: number, errorRate: number, source: FittedPod['source']): FittedPod {
  const mean = round(Math.max(0.01, meanMs));
  const s = round(sigma);
  return { name, serviceTime: { kind: 'lognormal', meanMs: mean, sigma: s }, meanMs: mean, sigma: s, concurrency, errorRate, source };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
