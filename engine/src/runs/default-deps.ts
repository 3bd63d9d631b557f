import { startLoad } from '../load/load-run.js';
import { LabTargetAdapter } from '../targets/lab-target.js';
import { UrlTargetAdapter, assertLoopbackUrl } from '../targets/url-target.js';
import type { Target } from '../targets/target.js';
import type { TestSpec } from '../spec/test-spec.js';
import { planLab } from './plan.js';
import type { RunDeps } from './test-run.js';

/** Opens the spec's target: a fresh embedded lab, or a URL after the allow-list check. */
export async function openTarget(spec: TestSpec): Promise<Target> {
  if (spec.target.kind === 'lab') return LabTargetAdapter.open(planLab(spec.target, spec.seed));
  await assertLoopbackUrl(spec.target.url);
  return new UrlTargetAdapter(spec.target);
}

/** The production wiring of a run: real targets, the undici load generator. */
export const defaultRunDeps: RunDeps = {
  openTarget,
  startLoad: (url, podHeader, plan) => startLoad({ ...plan, url, podHeader }),
};
