import { LOOPBACK_ONLY, TargetAllowList } from '../config/allow-list.js';
import { ScaleError, ValidationError, type Issue } from '../core/errors.js';
import { DEFAULT_KUBE_SETTINGS, KubeContext } from '../k8s/kube-context.js';
import { startLoad } from '../load/load-run.js';
import { checkKubernetesTarget, KubernetesTargetAdapter } from '../targets/kubernetes-target.js';
import { LabTargetAdapter } from '../targets/lab-target.js';
import { UrlTargetAdapter } from '../targets/url-target.js';
import type { Target } from '../targets/target.js';
import type { TestSpec } from '../spec/test-spec.js';
import { planLab } from './plan.js';
import type { RunDeps } from './test-run.js';

/** Opens the spec's target: a fresh embedded lab, a URL once the allow-list accepts it, or a cluster's Service. */
export async function openTarget(spec: TestSpec, allow: TargetAllowList, kube: KubeContext, runId?: string): Promise<Target> {
  if (spec.target.kind === 'lab') return LabTargetAdapter.open(planLab(spec.target, spec.seed));
  await allow.assertAllowed(spec.target.url);
  if (spec.target.kind === 'kubernetes') return KubernetesTargetAdapter.open(spec.target, kube, runId);
  return new UrlTargetAdapter(spec.target);
}

/**
 * Everything wrong with the spec's target that can be told before a run exists: the allow-list
 * (after DNS) and, for a cluster, the namespace, the API, the Service, the route and Prometheus.
 * Throws one ScaleError listing every problem; nothing is started.
 */
export async function checkTarget(spec: TestSpec, allow: TargetAllowList, kube: KubeContext): Promise<void> {
  const t = spec.target;
  if (t.kind === 'lab') return;
  if (t.kind === 'url') return allow.assertAllowed(t.url);
  const issues: Issue[] = [];
  await allow.assertAllowed(t.url).catch((err: unknown) => {
    if (!(err instanceof ScaleError)) throw err;
    issues.push(...(err.details.length > 0 ? err.details : [{ path: 'target.url', message: err.message }]));
  });
  issues.push(...(await checkKubernetesTarget(t, kube)).issues);
  if (issues.length > 0) throw new ValidationError(issues, `the kubernetes target cannot be used: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
}

/** The production wiring of a run: real targets behind the allow-list, the undici load generator. */
export function runDeps(allow = new TargetAllowList(LOOPBACK_ONLY), kube = new KubeContext(DEFAULT_KUBE_SETTINGS)): RunDeps {
  return {
    openTarget: (spec, runId) => openTarget(spec, allow, kube, runId),
    preflight: (spec) => checkTarget(spec, allow, kube),
    startLoad: (url, podHeader, plan) => startLoad({ ...plan, url, podHeader }),
  };
}
