import { randomUUID } from 'node:crypto';
import type { Result } from '../core/result.js';
import type { RunDeps } from '../runs/test-run.js';
import type { TestSpec } from '../spec/test-spec.js';
import { decide, toVerify } from './decision.js';
import type { TuningDecision } from './tuning-decision.js';
import { fitFromResult } from './fit-model.js';
import type { ObjectiveInput } from '../analysis/objective.js';
import { recommend, type RecommendOptions } from './recommend.js';
import { DEFAULT_VERIFY_MS, runLive, shortSpec, verifySettings } from './verify.js';

/** Options of {@link recommendForSpec}. */
export interface RecommendForSpecOptions {
  objective?: ObjectiveInput;
  /** Length of the baseline live run, ms (default 3,000). */
  baselineMs?: number;
  /** Length of each verification run, ms (default 2,500). */
  verifyMs?: number;
  /** Best predicted candidates verified live (default 3). */
  verifyTop?: number;
  recommend?: RecommendOptions;
  /** Hears progress ("baseline", "simulating", "verifying <id>") for a CLI's stderr. */
  progress?: (step: string) => void;
  now?: () => Date;
}

/** A dry-run recommendation for a spec, with the baseline run it was fitted from. */
export interface SpecRecommendation {
  decision: TuningDecision;
  baseline: Result;
}

/**
 * The whole tuner on a spec, applying nothing (`scale tune`, POST /api/tuning/recommend with a
 * spec): a short baseline live run of the spec on a fresh lab, a model fitted from it, every
 * candidate simulated, the current setting and the best `verifyTop` verified on fresh labs, and
 * the measured winner recommended. Nothing is applied: each lab is closed when its run ends.
 */
export async function recommendForSpec(spec: TestSpec, deps: RunDeps, o: RecommendForSpecOptions = {}): Promise<SpecRecommendation> {
  o.progress?.('baseline');
  const baseline = await runLive(shortSpec(spec, o.baselineMs ?? 3_000, { label: 'tune baseline' }), deps);
  if (baseline.status === 'failed') throw Object.assign(new Error(`baseline run failed: ${baseline.error?.message ?? 'unknown'}`), { baseline });
  o.progress?.('simulating');
  const rec = recommend(spec, fitFromResult(baseline), { ...o.recommend, objective: o.objective });
  const settings = [rec.current.candidate, ...toVerify(rec, o.verifyTop ?? 3)];
  o.progress?.(`verifying ${settings.map((s) => s.id).join(', ')}`);
  const measured = await verifySettings(spec, settings, deps, o.verifyMs ?? DEFAULT_VERIFY_MS);
  const decision = decide(rec, measured, { dryRun: true, trigger: 'recommend', at: (o.now?.() ?? new Date()).toISOString(), id: randomUUID() });
  return { decision, baseline };
}
