/**
 * Time source in milliseconds. Monotonic for the system clock; virtual in the simulator and in
 * tests. Pure code takes a Clock instead of reading time itself, so it can be driven by tests.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin; never decreases. */
  now(): number;
}

/** The process's monotonic clock (performance.now()), immune to wall-clock jumps. */
export const systemClock: Clock = { now: () => performance.now() };

/** A clock that only moves when told to: for tests and the simulator. */
export class ManualClock implements Clock {
  constructor(private t = 0) {}
  now(): number {
    return this.t;
  }
  /** Moves time forward by `ms` (negative values are refused: time never goes back). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('ManualClock cannot go back in time');
    this.t += ms;
  }
  set(ms: number): void {
    if (ms < this.t) throw new RangeError('ManualClock cannot go back in time');
    this.t = ms;
  }
}
