import type { KubeConfig } from '@kubernetes/client-node';
import { allowedNamespaces, type EngineConfig } from '../config/config.js';
import { ScaleError } from '../core/errors.js';
import { KubeApi, loadKubeConfig } from './kube-api.js';

/** What the engine's configuration says about clusters (README: Configuration). */
export interface KubeSettings {
  /** Namespaces a kubernetes target (and everything the engine creates) may be in. */
  namespaces: string[];
  /** Largest fraction of a target's pods one fault may touch. */
  maxFaultFraction: number;
  /** Send every change with dryRun=All: checked by the API server, persisted nowhere. */
  dryRun: boolean;
  /** A kubeconfig file; default: in-cluster ServiceAccount, else ~/.kube/config. */
  kubeconfig?: string;
  /** How often pod CPU is read from metrics.k8s.io. */
  metricsIntervalMs: number;
  /** The engine's own namespace (its load-worker Jobs), reachable besides `namespaces`. */
  ownNamespace?: string;
  /** Builds the client configuration (tests give the fixture's); default: from `kubeconfig`. */
  load?: () => KubeConfig;
}

export const DEFAULT_KUBE_SETTINGS: KubeSettings = { namespaces: ['default'], maxFaultFraction: 0.5, dryRun: false, metricsIntervalMs: 5_000 };

/** The engine's one KubeApi, made on first use (an engine that never sees a cluster never loads a kubeconfig). */
export class KubeContext {
  private made: KubeApi | undefined;

  constructor(readonly settings: KubeSettings) {}

  api(): KubeApi {
    if (this.made) return this.made;
    let config: KubeConfig;
    try {
      config = this.settings.load ? this.settings.load() : loadKubeConfig(this.settings.kubeconfig);
    } catch (err) {
      throw new ScaleError('invalid_input', `cannot load the Kubernetes configuration${this.settings.kubeconfig ? ` from ${this.settings.kubeconfig}` : ''}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const own = this.settings.ownNamespace ? [this.settings.ownNamespace] : [];
    this.made = new KubeApi(config, { namespaces: [...new Set([...this.settings.namespaces, ...own])], dryRun: this.settings.dryRun });
    return this.made;
  }
}

/** The engine configuration's cluster settings. */
export function kubeSettingsFrom(c: EngineConfig): KubeSettings {
  return {
    namespaces: allowedNamespaces(c),
    maxFaultFraction: c.K8S_MAX_FAULT_FRACTION,
    dryRun: c.K8S_DRY_RUN,
    ...(c.KUBECONFIG ? { kubeconfig: c.KUBECONFIG } : {}),
    metricsIntervalMs: DEFAULT_KUBE_SETTINGS.metricsIntervalMs,
    ownNamespace: c.K8S_NAMESPACE,
  };
}
