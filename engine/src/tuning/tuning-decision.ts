import type { Objective, Score } from '../analysis/objective.js';
import type { Candidate, Setting } from './candidates.js';
import type { FittedPod } from './fit-model.js';

// The decision's shapes, apart from decision.ts's logic (which reaches the simulator): the API
// answers with them and the Grafana plugin reads them, so this module imports pure types only.

/** One row of a decision: a candidate with predicted (simulated) and measured (live) numbers. */
export interface DecisionRow {
  id: string;
  apply: Candidate['apply'];
  reason?: string;
  current: boolean;
  setting: Setting;
  predicted: Score;
  /** Present for the settings verified live (the current one and the best predicted ones). */
  measured?: Score;
}

/**
 * What the tuner did and why; emitted, stored with the run (type `tuning`) and listed by the API.
 * - applied: the winner was set on the running balancer;
 * - kept: the current setting measured best (or the winner was not clearly better);
 * - recommended: the winner needs a mode or client change, which the tuner does not make;
 * - dry-run: the winner would have been applied.
 */
export interface TuningDecision {
  id: string;
  at: string;
  testId?: string;
  trigger: 'closed-loop' | 'manual' | 'recommend';
  action: 'applied' | 'kept' | 'recommended' | 'dry-run';
  objective: Objective;
  /** The fitted pod model the predictions came from. */
  model: Array<Pick<FittedPod, 'name' | 'meanMs' | 'sigma' | 'concurrency' | 'errorRate' | 'source'>>;
  current: DecisionRow;
  winner: DecisionRow;
  /** The verified rows, best measured first, then the rest of the predicted ranking. */
  rows: DecisionRow[];
  /** The setting in force before an applied change (disable goes back to the first one). */
  previous?: Setting;
  /** A sentence for people. */
  note: string;
  simulatedRequests: number;
}
