import { mean } from '../core/distribution.js';
import { ScaleError } from '../core/errors.js';
import { expectedArrivals } from '../load/arrival-schedule.js';
import type { SimPlan } from './sim-plan.js';

/**
 * Caps for simulations requested over the API, so that one request cannot hold the engine for
 * minutes or answer with a Result of hundreds of megabytes. The CLI runs without them.
 */
export const API_SIM_LIMITS = {
  /** Requests one simulation may start (about 2-5 s of CPU here). */
  maxRequests: 5_000_000,
} as const;

/**
 * Requests the plan would start, estimated before running it: `maxRequests` when it stops by
 * count, else the expected arrivals of the open model over its duration, or for the closed
 * model users × duration / (fastest pod's mean service time + mean think time), an upper bound
 * of what the users can send.
 */
export function estimateRequests(plan: SimPlan): number {
  const byTime = plan.durationMs < Infinity ? requestsByTime(plan) : Infinity;
  return Math.min(plan.maxRequests, byTime);
}

function requestsByTime(plan: SimPlan): number {
  const l = plan.load;
  if (l.model === 'open') {
    const a = l.arrivals;
    if (a.process === 'bursty') return (a.rate * plan.durationMs) / 1000;
    const finite = a.stages.map((s) => ({ ...s, durationMs: Math.min(s.durationMs, plan.durationMs) }));
    return expectedArrivals(finite, plan.durationMs);
  }
  const fastest = Math.min(...plan.pods.map((p) => mean(p.serviceTime) / p.speed));
  const think = l.thinkTime ? mean(l.thinkTime) : 0;
  return (l.users * plan.durationMs) / Math.max(1e-3, fastest + think);
}

/**
 * The plan as the API runs it: refused (limit_exceeded, a 400) when it would start more than
 * API_SIM_LIMITS.maxRequests requests; otherwise capped there anyway (an estimate can be
 * wrong). Its timeline is bounded as every simulation's is (plan.maxWindows).
 */
export function limitForApi(plan: SimPlan): SimPlan {
  const estimate = estimateRequests(plan);
  const max = API_SIM_LIMITS.maxRequests;
  if (estimate > max) {
    const path = plan.maxRequests < Infinity ? 'requests' : plan.load.model === 'open' ? 'duration' : 'load.users';
    throw new ScaleError('limit_exceeded', `this simulation would start about ${Math.round(estimate).toLocaleString('en-US')} requests; the API simulates at most ${max.toLocaleString('en-US')} (the CLI has no limit)`, [
      { path, message: `lower it so that at most ${max.toLocaleString('en-US')} requests are simulated` },
    ]);
  }
  return { ...plan, maxRequests: Math.min(plan.maxRequests, max) };
}
