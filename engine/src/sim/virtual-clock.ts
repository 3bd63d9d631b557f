import type { Clock } from '../core/clock.js';

/**
 * The simulator's clock: virtual milliseconds, moved by the event loop only (it sets `t` to
 * each event's time, which never decreases). Policies read it through the Clock interface, so
 * peak-EWMA decays in virtual time exactly as it decays in real time in the lab.
 */
export class VirtualClock implements Clock {
  /** Current virtual time, ms since the start of the run. */
  t = 0;

  now(): number {
    return this.t;
  }
}
