import type { Setting } from './candidates.js';
import type { TuningDecision } from './tuning-decision.js';

// What the auto-tuner reports (GET /api/tuning, POST /api/tuning/disable), apart from the tuner
// itself (node:events, labs): the Grafana plugin reads these shapes, so they import pure types only.

/** What disable put back on one run. */
export interface Reverted {
  testId: string;
  setting: Setting;
}

export interface TunerState {
  enabled: boolean;
  scope: 'all' | { testId: string } | null;
  dryRun: boolean;
  windows: number;
  cooldownMs: number;
  watching: string[];
  /** Runs with a setting applied by the tuner, and what disable reverts them to. */
  applied: Array<{ testId: string; current: Setting; original: Setting }>;
  decisions: TuningDecision[];
}
