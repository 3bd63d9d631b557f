/**
 * The runtime side of a load model (k6's executors): the runner's timer loop wakes it, it starts
 * whatever is due, and it hears when each request settles. One implementation per model:
 * open-executor.ts (arrival rate), closed-executor.ts (users). Pure timing lives in the
 * schedules; executors only act on them.
 */
export interface Executor {
  /**
   * Starts every event with offset < `untilMs` (at most `budget` of them, so one wake-up cannot
   * starve the responses); returns the offset of the next event, or Infinity when none remain.
   */
  wake(untilMs: number, nowMs: number, budget: number): number;
  /** A request of `user` (-1 in the open model) settled at `nowMs`. */
  settled(user: number, nowMs: number): void;
  /** Requests for LoadTick.scheduled in [fromMs, toMs): wanted (open) or sent (closed). */
  scheduledIn(fromMs: number, toMs: number): number;
  /** Users active now (closed model); 0 for the open model. */
  readonly users: number;
  /** True when nothing more can happen before the schedule's end (every closed user has finished). */
  exhausted(): boolean;
  /** Starts nothing more (schedule end or stop()); in-flight requests finish. */
  halt(): void;
}
