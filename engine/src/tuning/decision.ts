import type { Candidate, Setting } from './candidates.js';
import { compareScores, isBetter, type Score } from '../analysis/objective.js';
import type { Recommendation } from './recommend.js';
import type { DecisionRow, TuningDecision } from './tuning-decision.js';
import type { Measured } from './verify.js';

/** The top `n` candidates by prediction that are worth a live check (never the current one: it is measured anyway). */
export function toVerify(rec: Recommendation, n: number): Candidate[] {
  return rec.ranked.filter((r) => !r.candidate.current).slice(0, n).map((r) => r.candidate);
}

/**
 * Step 3's choice (pure): among the verified settings, the measured best under the objective
 * (the relative p99 limit taken from the current setting's measured p99). The current setting
 * is replaced only when the winner is strictly better (isBetter), so noise never flips it.
 */
export function decide(
  rec: Recommendation,
  measured: readonly Measured[],
  opts: { dryRun: boolean; trigger: TuningDecision['trigger']; testId?: string; at: string; id: string },
): TuningDecision {
  const o = rec.objective;
  const m = new Map(measured.filter((x) => !x.failed).map((x) => [x.id, x.measured]));
  const row = (r: Recommendation['ranked'][number]): DecisionRow => {
    const { id, apply, reason, current, ...rest } = r.candidate;
    const setting: Setting = { policy: rest.policy, policyOptions: rest.policyOptions, mode: rest.mode, requestsPerConnection: rest.requestsPerConnection, ...(rest.weights ? { weights: rest.weights } : {}) };
    return { id, apply, ...(reason ? { reason } : {}), current, setting, predicted: r.predicted, ...(m.has(id) ? { measured: m.get(id)! } : {}) };
  };
  const rows = rec.ranked.map(row);
  const current = rows.find((r) => r.current)!;
  const cp99 = current.measured?.p99Ms;
  const verified = rows.filter((r) => r.measured).sort((a, b) => compareScores(a.measured!, b.measured!, o, cp99));
  const best = verified[0] ?? current;
  const better = best !== current && current.measured !== undefined && best.measured !== undefined && isBetter(best.measured, current.measured, o, cp99);
  const winner = better ? best : current;
  const action: TuningDecision['action'] = winner.current ? 'kept' : winner.apply === 'recommend-only' ? 'recommended' : opts.dryRun ? 'dry-run' : 'applied';
  const ordered = [...verified, ...rows.filter((r) => !r.measured)];
  return {
    id: opts.id,
    at: opts.at,
    ...(opts.testId ? { testId: opts.testId } : {}),
    trigger: opts.trigger,
    action,
    objective: o,
    model: rec.model.pods.map(({ name, meanMs, sigma, concurrency, errorRate, source }) => ({ name, meanMs, sigma, concurrency, errorRate, source })),
    current,
    winner,
    rows: ordered,
    note: noteFor(action, winner, current),
    simulatedRequests: rec.simulatedRequests,
  };
}

function noteFor(action: TuningDecision['action'], w: DecisionRow, c: DecisionRow): string {
  const nums = (s?: Score) => (s ? `balance ${s.balance.toFixed(3)} (${s.balanceKind}), p99 ${s.p99Ms.toFixed(1)} ms` : 'not measured');
  switch (action) {
    case 'kept':
      return `kept ${c.id}: no candidate measured clearly better (current: ${nums(c.measured)})`;
    case 'recommended':
      return `recommend ${w.id} (${nums(w.measured)} vs ${nums(c.measured)} now); not applied: ${w.reason}`;
    case 'dry-run':
      return `would apply ${w.id} (${nums(w.measured)} vs ${nums(c.measured)} now); dry run, nothing changed`;
    case 'applied':
      return `applied ${w.id} (${nums(w.measured)} vs ${nums(c.measured)} with ${c.id})`;
  }
}
