import { LOOPBACK_ONLY, TargetAllowList } from '../config/allow-list.js';
import { ScaleError, ValidationError, type Issue } from '../core/errors.js';
import { DEFAULT_KUBE_SETTINGS, KubeContext } from '../k8s/kube-context.js';
import { LocalLauncher } from '../load/distributed/local-launcher.js';
import type { WorkerLauncher } from '../load/distributed/remote-fleet.js';
import { WorkerHub } from '../load/distributed/worker-hub.js';
import { startLoad } from '../load/load-run.js';
import { checkKubernetesTarget, KubernetesTargetAdapter } from '../targets/kubernetes-target.js';
import { LabTargetAdapter } from '../targets/lab-target.js';
import { UrlTargetAdapter } from '../targets/url-target.js';
import type { Target } from '../targets/target.js';
import type { TestSpec } from '../spec/test-spec.js';
import { planLab } from './plan.js';
import type { LoadPlan } from './plan.js';
import type { RunDeps } from './test-run.js';

/** Where the worker processes of distributed runs (`load.workers` > 1) run. */
export interface WorkerSetup {
  hub: WorkerHub;
  /** A launcher for one run (local child processes, or the cluster's Indexed Job). */
  launcher(runId?: string): WorkerLauncher;
  /** `cluster`: workers cannot reach a lab inside the engine. */
  where: 'local' | 'cluster';
}

/** Workers as child processes of this one, connecting to a hub on 127.0.0.1. */
export function localWorkers(): WorkerSetup {
  const hub = new WorkerHub({ host: '127.0.0.1', port: 0 });
  return { hub, launcher: () => new LocalLauncher(hub), where: 'local' };
}

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
export async function checkTarget(spec: TestSpec, allow: TargetAllowList, kube: KubeContext, workers?: WorkerSetup): Promise<void> {
  const t = spec.target;
  if (t.kind === 'lab' && (spec.load.workers ?? 1) > 1 && workers?.where === 'cluster')
    throw new ValidationError([{ path: 'load.workers', message: 'the lab runs inside the engine, where the load workers of a cluster cannot reach it; use a url or kubernetes target, or one worker' }]);
  if (t.kind === 'lab') return LabTargetAdapter.check(planLab(t, spec.seed));
  if (t.kind === 'url') return allow.assertAllowed(t.url);
  const issues: Issue[] = [];
  // The load and the Prometheus queries both go where the allow-list says the engine may send.
  const urls: Array<[string, string]> = [['target.url', t.url], ...(t.podCounts ? [['target.podCounts.prometheus', t.podCounts.prometheus] as [string, string]] : [])];
  for (const [path, url] of urls) {
    await allow.assertAllowed(url, path).catch((err: unknown) => {
      if (!(err instanceof ScaleError)) throw err;
      issues.push(...(err.details.length > 0 ? err.details : [{ path, message: err.message }]));
    });
  }
  issues.push(...(await checkKubernetesTarget(t, kube)).issues);
  if (issues.length > 0) throw new ValidationError(issues, `the kubernetes target cannot be used: ${issues.length} problem${issues.length === 1 ? '' : 's'}`);
}

/** The production wiring of a run: real targets behind the allow-list, the undici load generator. */
export function runDeps(allow = new TargetAllowList(LOOPBACK_ONLY), kube = new KubeContext(DEFAULT_KUBE_SETTINGS), workers: WorkerSetup = localWorkers()): RunDeps {
  return {
    openTarget: (spec, runId) => openTarget(spec, allow, kube, runId),
    preflight: (spec) => checkTarget(spec, allow, kube, workers),
    startLoad: (url, podHeader, plan, runId) => loadFor(url, podHeader, plan, workers, runId),
  };
}

/** The load of a plan: in this process (threads), or on worker processes when it asks for more than one. */
function loadFor(url: string, podHeader: string, plan: LoadPlan, setup: WorkerSetup, runId?: string) {
  const { threads, workers, ...rest } = plan;
  const remote = workers > 1 ? { workers, hub: setup.hub, launcher: setup.launcher(runId) } : undefined;
  return startLoad({ ...rest, workers: threads, url, podHeader }, remote);
}
