import { randomUUID } from 'node:crypto';
import { ScaleError } from '../core/errors.js';
import type { BalancerApplier, BalancerSetting } from '../k8s/balancers/balancer-applier.js';
import type { RunTick } from '../runs/run-events.js';
import type { TestRun } from '../runs/test-run.js';
import type { Setting } from './candidates.js';
import type { DecisionRow, TuningDecision } from './tuning-decision.js';
import { compareScores, isBetter, objectiveFor, type ObjectiveInput, type Score } from '../analysis/objective.js';

/**
 * The tuner on a cluster's balancer. A cluster's pods cannot be copied into a fresh lab, so
 * each setting the balancer offers is measured on the running test itself: applied through the
 * balancer's applier, one window left to settle, then `windows` windows measured (balance of
 * pod CPU when the metrics API gives it, else of requests; p99; errors). The best measured
 * setting stays when it is clearly better than the one in force (the same objective and
 * `isBetter` as the lab's tuner), else the original configuration is restored. Consistent-hash
 * is not tried: it changes what a client's requests stick to, which is a product decision, not a
 * balance setting.
 */

export interface ClusterTuningOptions {
  /** Windows measured per setting (default 3). */
  windows?: number;
  /** Windows left out after each change while the balancer reloads (default 1). */
  settleWindows?: number;
  objective?: ObjectiveInput;
  trigger: TuningDecision['trigger'];
  now: () => Date;
  /** Ends a wait when the run ends (its windows stop coming). */
  timeoutMs?: number;
  /** Cancels the tuning (the tuner was disabled): the original configuration is put back. */
  signal?: AbortSignal;
}

/** The settings to try on a balancer: every policy it offers, the current one first. */
export function clusterCandidates(a: BalancerApplier, current: BalancerSetting): BalancerSetting[] {
  const all: BalancerSetting[] = [
    { policy: 'round-robin', policyOptions: {} },
    { policy: 'random', policyOptions: {} },
    { policy: 'power-of-two', policyOptions: { choices: 2 } },
    { policy: 'peak-ewma', policyOptions: {} },
  ];
  const same = (x: BalancerSetting) => x.policy === current.policy;
  return [current, ...all.filter((s) => !same(s) && a.unsupported(s) === undefined)];
}

/** Measures every candidate on the running test and keeps the best; the applier restores the original otherwise. */
export async function tuneCluster(run: TestRun, applier: BalancerApplier, o: ClusterTuningOptions): Promise<TuningDecision> {
  const objective = objectiveFor(run.spec, o.objective);
  const current = await applier.current();
  const settings = clusterCandidates(applier, current);
  const rows: DecisionRow[] = [];
  try {
    for (const [i, s] of settings.entries()) {
      if (i > 0) await applier.apply(s);
      o.signal?.throwIfAborted();
      const measured = scoreOfTicks(await nextTicks(run, (o.settleWindows ?? 1) + (o.windows ?? 3), o.timeoutMs ?? 30_000, o.signal).then((t) => t.slice(o.settleWindows ?? 1)));
      rows.push({ id: idOf(s), apply: 'live', current: i === 0, setting: settingOf(s), predicted: measured, measured });
    }
    o.signal?.throwIfAborted();
  } catch (err) {
    // Whatever was being tried goes: the balancer is left as it was found.
    await applier.restore().catch(() => undefined);
    throw err;
  }
  const currentRow = rows[0];
  const cp99 = currentRow.measured!.p99Ms;
  const ranked = [...rows].sort((a, b) => compareScores(a.measured!, b.measured!, objective, cp99));
  const best = ranked[0];
  const better = best !== currentRow && isBetter(best.measured!, currentRow.measured!, objective, cp99);
  const winner = better ? best : currentRow;
  if (better) await applier.apply(winner.setting);
  else await applier.restore();
  const nums = (s: Score) => `balance ${s.balance.toFixed(3)} (${s.balanceKind}), p99 ${s.p99Ms.toFixed(1)} ms`;
  return {
    id: randomUUID(),
    at: o.now().toISOString(),
    testId: run.id,
    trigger: o.trigger,
    action: better ? 'applied' : 'kept',
    objective,
    model: [],
    current: currentRow,
    winner,
    rows: ranked,
    previous: better ? currentRow.setting : undefined,
    note: better
      ? `applied ${winner.id} to ${applier.object} (${nums(winner.measured!)} vs ${nums(currentRow.measured!)} with ${currentRow.id}), each measured live on the running test`
      : `kept ${currentRow.id} on ${applier.object}: no setting measured clearly better (current: ${nums(currentRow.measured!)})`,
    simulatedRequests: 0,
  };
}

/** The next `n` windows of a run (rejects when the run ends first, they take too long, or `signal` aborts). */
function nextTicks(run: TestRun, n: number, timeoutMs: number, signal?: AbortSignal): Promise<RunTick[]> {
  return new Promise((resolve, reject) => {
    const got: RunTick[] = [];
    const onAbort = () => done(signal!.reason instanceof Error ? signal!.reason : new ScaleError('conflict', 'tuning cancelled'));
    const done = (err?: Error) => {
      clearTimeout(timer);
      run.off('tick', onTick);
      run.off('done', onDone);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(got);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const onTick = (t: RunTick) => {
      got.push(t);
      if (got.length >= n) done();
    };
    const onDone = () => done(new ScaleError('conflict', `test ${run.id} ended while the tuner was measuring; the balancer was put back`));
    const timer = setTimeout(() => done(new ScaleError('upstream_timeout', `test ${run.id} gave no ${n} windows within ${timeoutMs / 1000}s`)), timeoutMs);
    run.on('tick', onTick);
    run.on('done', onDone);
  });
}

/**
 * The objective's numbers over some windows: the windows' balance on their basis (pod work
 * where busy time is known, else requests), request-weighted, and p99; errors over requests.
 */
export function scoreOfTicks(ticks: readonly RunTick[]): Score {
  let requests = 0;
  let errors = 0;
  let balance = 0;
  let count = 0;
  let util = 0;
  let utilN = 0;
  let p50 = 0;
  let p99 = 0;
  for (const t of ticks) {
    const w = t.window;
    requests += w.requests;
    errors += w.errors;
    balance += w.balance.score * w.requests;
    count += (w.balance.requestScore ?? w.balance.score) * w.requests;
    p50 += w.latency.p50 * 1000 * w.requests;
    p99 += w.latency.p99 * 1000 * w.requests;
    if (w.balance.utilisation !== null && Number.isFinite(w.balance.utilisation)) {
      util += w.balance.utilisation;
      utilN++;
    }
  }
  const r = Math.max(1, requests);
  const onWork = ticks.length > 0 && ticks.every((t) => t.window.balance.basis === 'utilisation');
  return {
    balance: balance / r,
    balanceKind: onWork ? 'utilisation' : 'requests',
    countScore: count / r,
    utilisation: utilN === ticks.length && utilN > 0 ? util / utilN : null,
    p50Ms: p50 / r,
    p99Ms: p99 / r,
    errorRate: errors / r,
    requests,
  };
}

function settingOf(s: BalancerSetting): Setting {
  return { policy: s.policy, policyOptions: s.policyOptions, mode: 'l7', requestsPerConnection: 0 };
}

function idOf(s: BalancerSetting): string {
  const o = s.policyOptions;
  return [s.policy, o.choices && s.policy !== 'power-of-two' ? `d=${o.choices}` : '', o.slowStartMs ? `slow-start=${o.slowStartMs / 1000}s` : ''].filter(Boolean).join(' ');
}
