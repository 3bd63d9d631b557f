import type { Verdict } from '../core/result.js';

/**
 * Turns per-window verdicts into a sustained-imbalance signal: fires after `windows`
 * consecutive imbalanced windows, so one noisy second does not trigger alerts or re-tuning.
 * insufficient-data windows neither extend nor reset the streak.
 */
export class ImbalanceDetector {
  private streak = 0;
  constructor(readonly windows = 3) {
    if (!Number.isInteger(windows) || windows < 1) throw new RangeError('windows must be an integer >= 1');
  }
  /** Feeds one window's verdict; returns true while imbalance has lasted `windows` windows. */
  push(verdict: Verdict): boolean {
    if (verdict === 'imbalanced') this.streak++;
    else if (verdict === 'balanced') this.streak = 0;
    return this.streak >= this.windows;
  }
  get consecutive(): number {
    return this.streak;
  }
  reset(): void {
    this.streak = 0;
  }
}
