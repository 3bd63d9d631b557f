import { createHash } from 'node:crypto';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { ChaosLab, ChaosPod, FaultGuard, FaultType } from '../chaos/fault.js';
import { ScaleError, type Issue } from '../core/errors.js';
import { DEFAULT_POD_BEHAVIOUR } from '../spec/pod-behaviour.js';
import type { LabPodOptions } from '../lab/lab-options.js';
import type { Partition } from '../lab/partition.js';
import { mergePodFaults, type PodFaults } from '../lab/pod-faults.js';
import { FaultEndpoint } from './fault-endpoint.js';
import type { KubeApi } from './kube-api.js';
import { createdLabels, ISOLATED_LABEL, markedPatch, restoringPatch } from './marks.js';
import type { PodWatch } from './pod-watch.js';
import { Workload } from './workload.js';

export interface KubeChaosOptions {
  namespace: string;
  /** The container port of the demo backend's fault endpoint. */
  backendPort: number;
  /** Largest fraction of the target's pods one fault may touch (guard rail). */
  maxFaultFraction: number;
  /** The run the created objects belong to (their RUN_LABEL). */
  runId?: string;
  /** How long a scale-up waits for its new pod to appear. Default 60 s. */
  addTimeoutMs?: number;
}

/**
 * The lab's fault operations on a cluster, so that every fault type, its TTL and its rollback
 * work through the same FaultManager as in the lab:
 * - stopPod: deletes the pod (its ReplicaSet replaces it, as after a crash); startPod does
 *   nothing (the replacement is already coming);
 * - removePod / addPod: the Deployment's scale subresource, one replica down (the chosen pod
 *   first, by deletion cost) or up (resolving with the new pod's name once it appears);
 * - setPartition: a NetworkPolicy that denies all ingress to the pod (labelled for it), deleted
 *   on rollback; it needs a CNI that enforces NetworkPolicy;
 * - setPodFaults: the demo backend's fault endpoint through the pod proxy; any other backend is
 *   refused with a clear message.
 * Guard rails: the API only reaches the allowed namespaces; `guard` refuses a fault that would
 * touch more than `maxFaultFraction` of the pods; with dry-run every change is sent with
 * `dryRun=All` (checked by the API server, persisted nowhere). Everything created is labelled.
 */
export class KubeChaos implements ChaosLab, FaultGuard {
  private workload: Promise<Workload> | undefined;
  private readonly faults = new Map<string, PodFaults>();
  private readonly endpoint: FaultEndpoint;
  private readonly claimed = new Set<string>();
  private dryRunPods = 0;

  constructor(
    private readonly api: KubeApi,
    private readonly watch: PodWatch,
    private readonly o: KubeChaosOptions,
  ) {
    this.endpoint = new FaultEndpoint(api, o.namespace, o.backendPort);
  }

  get dryRun(): boolean {
    return this.api.dryRun;
  }

  pods(): ChaosPod[] {
    return this.watch.pods().map((p) => ({ name: p.name, up: p.ready, weight: 1, behaviour: DEFAULT_POD_BEHAVIOUR }));
  }

  guard(type: FaultType, pods: string[], count: number): Issue[] {
    const total = this.watch.pods().length;
    const touched = type === 'scale-up' ? count : pods.length;
    const limit = Math.max(type === 'scale-up' ? 1 : 0, Math.floor(this.o.maxFaultFraction * total));
    if (touched <= limit) return [];
    const what = type === 'scale-up' ? `add ${touched} pods to ${total}` : `touch ${touched} of ${total} pods`;
    return [{ path: pods.length > 0 ? 'pods' : 'count', message: `the fault would ${what}; this engine allows at most ${Math.round(this.o.maxFaultFraction * 100)}% (${limit}) (K8S_MAX_FAULT_FRACTION)` }];
  }

  async stopPod(name: string): Promise<void> {
    this.known(name);
    await this.api.deletePod(this.o.namespace, name);
  }

  async startPod(name: string): Promise<void> {
    // The ReplicaSet has already replaced the deleted pod.
    void name;
  }

  async addPod(_options?: LabPodOptions): Promise<string> {
    const w = await this.theWorkload();
    const before = new Set(this.watch.pods().map((p) => p.name));
    const appeared = this.dryRun ? undefined : this.nextNewPod(before);
    try {
      await w.scaleBy(1);
    } catch (err) {
      appeared?.cancel();
      throw err;
    }
    if (!appeared) return `dry-run-pod-${++this.dryRunPods}`;
    return appeared.name;
  }

  async removePod(name: string): Promise<void> {
    const w = await this.theWorkload();
    await w.scaleBy(-1, this.dryRun && name.startsWith('dry-run-pod-') ? [] : [name]);
  }

  async setPodFaults(name: string, patch: Partial<PodFaults>): Promise<void> {
    this.known(name);
    await this.endpoint.assertDemoBackend(name);
    const next = mergePodFaults(this.faults.get(name) ?? {}, patch);
    if (!this.dryRun) await this.endpoint.set(name, next);
    this.faults.set(name, next);
  }

  async setPartition(name: string, partition: Partition | undefined): Promise<void> {
    const ns = this.o.namespace;
    const policy = policyName(name);
    if (partition) {
      this.known(name);
      const pod = await this.api.readPod(ns, name);
      await this.api.patchPod(ns, name, markedPatch(pod, { metadata: { labels: { [ISOLATED_LABEL]: policy } } }));
      await this.api.createNetworkPolicy(ns, isolation(policy, this.o.runId)).catch(async (err: unknown) => {
        await this.api.patchPod(ns, name, restoringPatch(await this.api.readPod(ns, name))).catch(() => undefined);
        throw err;
      });
      return;
    }
    await this.api.deleteNetworkPolicy(ns, policy).catch(ignoreGone);
    const pod = await this.api.readPod(ns, name).catch(ignoreGone);
    if (pod) await this.api.patchPod(ns, name, restoringPatch(pod)).catch(ignoreGone);
  }

  private known(name: string): void {
    if (!this.watch.pods().some((p) => p.name === name)) throw new ScaleError('not_found', `no pod "${name}" behind the target in namespace "${this.o.namespace}"`);
  }

  private theWorkload(): Promise<Workload> {
    const first = this.watch.pods()[0]?.name;
    if (!first) return Promise.reject(new ScaleError('conflict', 'the target has no pods to find its Deployment from'));
    this.workload ??= Workload.ofPod(this.api, this.o.namespace, first);
    this.workload.catch(() => (this.workload = undefined));
    return this.workload;
  }

  /** The first pod that appears and was neither there `before` nor claimed by another addPod. */
  private nextNewPod(before: ReadonlySet<string>): { name: Promise<string>; cancel(): void } {
    let cancel = (): void => undefined;
    const name = new Promise<string>((resolve, reject) => {
      const check = (): boolean => {
        const p = this.watch.pods().find((x) => !before.has(x.name) && !this.claimed.has(x.name));
        if (!p) return false;
        this.claimed.add(p.name);
        done();
        resolve(p.name);
        return true;
      };
      const onChange = () => void check();
      const timer = setTimeout(() => {
        done();
        reject(new ScaleError('upstream_timeout', `the Deployment was scaled up but no new pod appeared within ${(this.o.addTimeoutMs ?? 60_000) / 1000}s`));
      }, this.o.addTimeoutMs ?? 60_000);
      const done = () => {
        clearTimeout(timer);
        this.watch.off('change', onChange);
      };
      cancel = () => {
        done();
        reject(new ScaleError('conflict', 'scale-up cancelled'));
      };
      this.watch.on('change', onChange);
    });
    name.catch(() => undefined);
    return { name, cancel: () => cancel() };
  }
}

/** The NetworkPolicy (and label value) isolating `pod`: at most 63 characters, as a label value must be. */
export function policyName(pod: string): string {
  const plain = `scale-isolate-${pod}`;
  return plain.length <= 63 ? plain : `scale-isolate-${createHash('sha256').update(pod).digest('hex').slice(0, 16)}`;
}

/** Denies all ingress to the pods labelled for it: policyTypes Ingress with no ingress rule. */
function isolation(name: string, runId: string | undefined): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: createdLabels(runId) },
    spec: { podSelector: { matchLabels: { [ISOLATED_LABEL]: name } }, policyTypes: ['Ingress'], ingress: [] },
  };
}

function ignoreGone(err: unknown): undefined {
  if (err instanceof ScaleError && err.code === 'not_found') return undefined;
  throw err;
}
