/** Cancels a scheduled task; calling it after the task ran is harmless. */
export type Cancel = () => void;

/**
 * Runs a task later. Injected (with a Clock) so tests drive the retention of metric series
 * without sleeping.
 */
export interface Scheduler {
  /** Runs `task` once after about `delayMs` milliseconds. */
  schedule(task: () => void, delayMs: number): Cancel;
}

/** setTimeout, unref'd: pending series removals must not keep the engine process alive. */
export const timerScheduler: Scheduler = {
  schedule(task, delayMs) {
    const t = setTimeout(task, Math.max(0, delayMs));
    t.unref();
    return () => clearTimeout(t);
  },
};
