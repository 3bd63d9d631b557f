import type { Clock } from '../core/clock.js';
import type { Cancel, Scheduler } from './scheduler.js';

interface Entry {
  at: number;
  onExpire: () => void;
  cancel: Cancel;
}

/**
 * Countdowns keyed by name: after `retentionMs` the key's `onExpire` runs once. The clock decides
 * whether the time has come and the scheduler only wakes us up, so a test can move a
 * ManualClock and fire the fake timers, and a timer that fires early simply re-arms itself.
 */
export class Retention {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    /** How long a key lives after `start`, in milliseconds. */
    readonly retentionMs: number,
  ) {
    if (!(retentionMs >= 0) || !Number.isFinite(retentionMs)) throw new RangeError(`retentionMs must be >= 0, got ${retentionMs}`);
  }

  /** (Re)starts the countdown of `key`; a pending one is replaced. */
  start(key: string, onExpire: () => void): void {
    this.cancel(key);
    const entry: Entry = { at: this.clock.now() + this.retentionMs, onExpire, cancel: () => undefined };
    this.entries.set(key, entry);
    entry.cancel = this.arm(key, entry, this.retentionMs);
  }

  /** Stops the countdown of `key` without running it. */
  cancel(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    e.cancel();
    this.entries.delete(key);
  }

  /** True while `key` counts down. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Runs every countdown whose time has come (called before each scrape too, so a late timer never shows expired series). */
  sweep(): void {
    const now = this.clock.now();
    for (const [key, e] of this.entries) if (e.at <= now) this.expire(key, e);
  }

  /** Cancels every countdown without running it (shutdown). */
  close(): void {
    for (const e of this.entries.values()) e.cancel();
    this.entries.clear();
  }

  private arm(key: string, entry: Entry, delayMs: number): Cancel {
    return this.scheduler.schedule(() => {
      if (this.entries.get(key) !== entry) return;
      const left = entry.at - this.clock.now();
      if (left <= 0) this.expire(key, entry);
      else entry.cancel = this.arm(key, entry, left);
    }, delayMs);
  }

  private expire(key: string, e: Entry): void {
    e.cancel();
    this.entries.delete(key);
    e.onExpire();
  }
}
