import type { Distribution } from '../core/distribution.js';
import { arrivalSchedule } from './arrival-schedule.js';
import { userSchedule } from './user-schedule.js';

/**
 * One stage of the open model (k6's constant-arrival-rate / ramping-arrival-rate).
 * A stage without `ramp` holds `rate` for its whole duration; a ramp stage moves linearly from
 * the previous stage's rate (0 for the first stage) to `rate`.
 */
export interface ArrivalStage {
  /** Target arrival rate, requests per second (>= 0). */
  rate: number;
  /** Length of the stage in milliseconds (> 0). */
  durationMs: number;
  /** Ramp linearly to `rate` instead of jumping to it. */
  ramp?: boolean;
}

/** Open model: requests arrive on a schedule, whether or not earlier ones were answered. */
export interface OpenModel {
  model: 'open';
  stages: ArrivalStage[];
}

/** Closed model (Locust): a fixed population of users, each sending its next request after the last answer. */
export interface ClosedModel {
  model: 'closed';
  /** Number of users (>= 1). */
  users: number;
  /** Users started per second: user k starts at k / spawnRate s. */
  spawnRate: number;
  /** No request is started after this many milliseconds. */
  durationMs: number;
  /** Pause between a user's answer and its next request; none = flat out. */
  thinkTime?: Distribution;
  /** Cap on requests per user; a user stops after this many (default: unlimited). */
  iterations?: number;
}

/** The load model, selected by its `model` name. */
export type LoadModel = OpenModel | ClosedModel;

/**
 * A pure schedule: a finite, non-decreasing sequence of event offsets in milliseconds since the
 * load start. The events are request sends (open model) or user starts (closed model); the
 * runner consumes them in order with a catch-up timer loop.
 */
export interface Schedule {
  /** Number of events. */
  readonly count: number;
  /** Length of the schedule in ms; every offset is < durationMs. */
  readonly durationMs: number;
  /** Offset in ms of event `index` (0-based, < count). */
  offsetOf(index: number): number;
  /** Number of events with offset < tMs (exactly consistent with offsetOf). */
  countBefore(tMs: number): number;
}

/** The schedule of a model: arrivals for open, user starts for closed. */
export function scheduleOf(model: LoadModel): Schedule {
  return model.model === 'open' ? arrivalSchedule(model.stages) : userSchedule(model);
}

/** Every offset of a schedule, in order. */
export function* offsets(schedule: Schedule): Generator<number> {
  for (let i = 0; i < schedule.count; i++) yield schedule.offsetOf(i);
}

/**
 * The share of worker `worker` (0-based) of `workers`: every workers-th event starting at
 * `worker`. Interleaving keeps each share's rate at 1/workers of the whole at every instant, and
 * the shares together are exactly the whole schedule.
 */
export function shareOf(schedule: Schedule, worker: number, workers: number): Schedule {
  if (workers === 1) return schedule;
  const count = schedule.count > worker ? Math.floor((schedule.count - 1 - worker) / workers) + 1 : 0;
  return {
    count,
    durationMs: schedule.durationMs,
    offsetOf: (j) => schedule.offsetOf(worker + j * workers),
    countBefore: (t) => {
      const c = schedule.countBefore(t);
      return c > worker ? Math.floor((c - 1 - worker) / workers) + 1 : 0;
    },
  };
}

/**
 * Turns an estimate of countBefore(t) into the exact value by checking it against offsetOf, so
 * that floating-point error in an inverse formula can never disagree with the offsets themselves.
 */
export function exactCountBefore(estimate: number, tMs: number, s: Pick<Schedule, 'count' | 'offsetOf'>): number {
  let c = Math.min(s.count, Math.max(0, estimate));
  // Each loop moves at most a step or two: the estimate is off only by rounding.
  while (c > 0 && s.offsetOf(c - 1) >= tMs) c--;
  while (c < s.count && s.offsetOf(c) < tMs) c++;
  return c;
}
