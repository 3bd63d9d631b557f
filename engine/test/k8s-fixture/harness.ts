import { TargetAllowList, LOOPBACK_ONLY } from '../../src/config/allow-list.js';
import { KubeContext, type KubeSettings } from '../../src/k8s/kube-context.js';
import { runDeps } from '../../src/runs/default-deps.js';
import type { RunDeps } from '../../src/runs/test-run.js';
import { FixtureCluster, type FixtureClusterOptions } from './cluster.js';

/** A fixture cluster with the engine's cluster settings pointing at it. */
export interface ClusterHarness {
  cluster: FixtureCluster;
  settings: KubeSettings;
  kube: KubeContext;
  deps: RunDeps;
  close(): Promise<void>;
}

export async function startClusterHarness(o: FixtureClusterOptions = {}, s: Partial<KubeSettings> = {}): Promise<ClusterHarness> {
  const cluster = await FixtureCluster.start(o);
  const settings: KubeSettings = { namespaces: [cluster.namespace], maxFaultFraction: 0.5, dryRun: false, metricsIntervalMs: 300, load: () => cluster.kubeConfig(), ...s };
  const kube = new KubeContext(settings);
  return { cluster, settings, kube, deps: runDeps(new TargetAllowList(LOOPBACK_ONLY), kube), close: () => cluster.close() };
}

/** Resolves once `cond()` holds (checked every 20 ms); rejects after `ms`. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
