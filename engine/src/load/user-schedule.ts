import { exactCountBefore, type ClosedModel, type Schedule } from './schedule.js';

/**
 * Start offset of user k in the closed model (Locust's spawn rate): k / spawnRate seconds.
 * Pure; the k-th user of a run always starts at the same offset whatever the worker split.
 */
export function userStartOffset(k: number, spawnRate: number): number {
  return (k * 1000) / spawnRate;
}

/**
 * The closed-model schedule of user starts: user k starts at userStartOffset(k); users whose
 * start would fall at or after the end of the run never start.
 */
export function userSchedule(model: Pick<ClosedModel, 'users' | 'spawnRate' | 'durationMs'>): Schedule {
  const { users, spawnRate, durationMs } = model;
  const offsetOf = (k: number): number => userStartOffset(k, spawnRate);
  const count = exactCountBefore(Math.ceil((durationMs * spawnRate) / 1000), durationMs, { count: users, offsetOf });
  const schedule: Schedule = {
    count,
    durationMs,
    offsetOf,
    countBefore: (t) => exactCountBefore(Math.ceil((t * spawnRate) / 1000), t, schedule),
  };
  return schedule;
}
