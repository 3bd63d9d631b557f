import { mean } from '../core/distribution.js';
import { DEFAULT_POD_BEHAVIOUR } from '../spec/pod-behaviour.js';
import { planLab } from '../runs/plan.js';
import type { LabTarget, TestSpec } from '../spec/test-spec.js';

/**
 * How many requests per second a target can serve, as the built-in generator sizes scenarios.
 * An observed figure (a previous run's throughput) wins; a lab target is computed from its pods;
 * a URL target without an observation gets a deliberately modest default.
 */

/**
 * The most the built-in generator asks of the embedded lab. The lab's pods, its Node proxy and
 * the load generator share the machine: a bare Node proxy over 4 pods reaches ~15 k req/s on
 * 2 cores with nothing else running (shared FACTS), so a fifth of that leaves room for all three.
 */
export const LAB_CEILING_RPS = 3000;

/** Assumed for a URL target nobody has measured: low enough not to hurt a small service. */
export const DEFAULT_URL_CAPACITY_RPS = 200;

export interface CapacityEstimate {
  /** Requests per second. */
  rps: number;
  /** The figure and how it was reached, as a phrase for the rationale ("~600 req/s from ..."). */
  basis: string;
}

/**
 * Little's law per pod: a pod serving `concurrency` requests at once, each taking `mean` seconds,
 * completes concurrency / mean requests a second; the lab's capacity is the sum over its pods.
 */
export function labCapacity(target: LabTarget): number {
  return planLab(target).pods.reduce((sum, p) => {
    const b = { ...DEFAULT_POD_BEHAVIOUR, ...p.behaviour };
    const meanS = mean(b.latency) / 1000;
    return sum + (meanS > 0 ? b.concurrency / meanS : Number.POSITIVE_INFINITY);
  }, 0);
}

/** The capacity used to size a generated scenario for `target` (already validated). */
export function estimateCapacity(target: TestSpec['target'], observedRps?: number): CapacityEstimate {
  if (observedRps !== undefined && Number.isFinite(observedRps) && observedRps > 0)
    return { rps: observedRps, basis: `~${round(observedRps)} req/s, as observed` };
  if (target.kind === 'lab') {
    const c = labCapacity(target);
    const from = `from the lab's ${target.pods} pods (concurrency / mean service time, summed)`;
    if (c <= LAB_CEILING_RPS) return { rps: c, basis: `~${round(c)} req/s ${from}` };
    return { rps: LAB_CEILING_RPS, basis: `${round(LAB_CEILING_RPS)} req/s: ~${round(c)} req/s ${from}, capped so that the load generator and the proxy keep up on this machine` };
  }
  return { rps: DEFAULT_URL_CAPACITY_RPS, basis: `${DEFAULT_URL_CAPACITY_RPS} req/s, assumed (nothing measured for ${target.url} yet; pass the observed capacity to size it)` };
}

const round = (v: number) => Math.round(v).toLocaleString('en-US');
