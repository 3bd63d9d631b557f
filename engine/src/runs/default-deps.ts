import { LOOPBACK_ONLY, TargetAllowList } from '../config/allow-list.js';
import { startLoad } from '../load/load-run.js';
import { LabTargetAdapter } from '../targets/lab-target.js';
import { UrlTargetAdapter } from '../targets/url-target.js';
import type { Target } from '../targets/target.js';
import type { TestSpec } from '../spec/test-spec.js';
import { planLab } from './plan.js';
import type { RunDeps } from './test-run.js';

/** Opens the spec's target: a fresh embedded lab, or a URL once the allow-list accepts it. */
export async function openTarget(spec: TestSpec, allow: TargetAllowList): Promise<Target> {
  if (spec.target.kind === 'lab') return LabTargetAdapter.open(planLab(spec.target, spec.seed));
  await allow.assertAllowed(spec.target.url);
  return new UrlTargetAdapter(spec.target);
}

/** The production wiring of a run: real targets behind the allow-list, the undici load generator. */
export function runDeps(allow = new TargetAllowList(LOOPBACK_ONLY)): RunDeps {
  return {
    openTarget: (spec) => openTarget(spec, allow),
    preflight: async (spec) => {
      if (spec.target.kind === 'url') await allow.assertAllowed(spec.target.url);
      if (spec.target.kind === 'lab') LabTargetAdapter.check(planLab(spec.target, spec.seed));
    },
    startLoad: (url, podHeader, plan) => startLoad({ ...plan, url, podHeader }),
  };
}
