import { ScaleError } from '../core/errors.js';
import type { KubeApi } from './kube-api.js';
import { DELETION_COST, markedPatch, marksFor, unmarkPatch } from './marks.js';

/**
 * The Deployment behind a target's pods (found through the pods' owners: Pod → ReplicaSet →
 * Deployment), scaled through its scale subresource. Changes are serialised (two faults never
 * read-modify-write the replica count at once) and counted, so each rollback takes back exactly
 * its own change while other faults stay in force. The first change marks the Deployment with
 * the original replica count (marks.ts), the last rollback removes the mark; after a crash the
 * janitor restores the count from it. Scaling down prefers the chosen pods through
 * `controller.kubernetes.io/pod-deletion-cost`.
 */
export class Workload {
  private queue: Promise<unknown> = Promise.resolve();
  /** The engine's outstanding change of the replica count. */
  private delta = 0;

  constructor(
    private readonly api: KubeApi,
    readonly namespace: string,
    readonly deployment: string,
  ) {}

  /** The Deployment that owns `pod`; a ScaleError naming the owner when it is not a Deployment. */
  static async ofPod(api: KubeApi, namespace: string, pod: string): Promise<Workload> {
    const p = await api.readPod(namespace, pod);
    const rsRef = p.metadata?.ownerReferences?.find((o) => o.controller);
    if (rsRef?.kind !== 'ReplicaSet')
      throw new ScaleError('invalid_input', `pod ${pod} is owned by ${rsRef ? `${rsRef.kind} ${rsRef.name}` : 'nothing'}; scale faults need pods of a Deployment`);
    const rs = await api.readReplicaSet(namespace, rsRef.name);
    const dRef = rs.metadata?.ownerReferences?.find((o) => o.controller);
    if (dRef?.kind !== 'Deployment')
      throw new ScaleError('invalid_input', `ReplicaSet ${rsRef.name} is owned by ${dRef ? `${dRef.kind} ${dRef.name}` : 'nothing'}; scale faults need a Deployment`);
    return new Workload(api, namespace, dRef.name);
  }

  /** Replicas now (the scale subresource's spec). */
  async replicas(): Promise<number> {
    const s = await this.api.readDeploymentScale(this.namespace, this.deployment);
    return s.spec?.replicas ?? 0;
  }

  /**
   * Changes the replica count by `by`; for a scale-down, `victims` are the pods to remove
   * (they get the lowest deletion cost first). Never scales below one replica.
   */
  scaleBy(by: number, victims: readonly string[] = []): Promise<number> {
    const step = this.queue.then(async () => {
      const cur = await this.replicas();
      const next = cur + by;
      if (next < 1) throw new ScaleError('invalid_input', `deployment ${this.deployment} has ${cur} replicas; scaling by ${by} would leave none`);
      if (this.delta === 0) {
        // The original count goes on the Deployment before it changes (what a janitor restores).
        await this.api.patchDeployment(this.namespace, this.deployment, marksFor({ spec: { replicas: cur } }));
      }
      for (const v of by < 0 ? victims : []) {
        await this.api.patchPod(this.namespace, v, markedPatch(undefined, { metadata: { annotations: { [DELETION_COST]: '-1000' } } })).catch(ignoreGone);
      }
      await this.api.patchDeploymentScale(this.namespace, this.deployment, next);
      this.delta += by;
      if (this.delta === 0) await this.api.patchDeployment(this.namespace, this.deployment, unmarkPatch());
      return next;
    });
    this.queue = step.catch(() => undefined);
    return step;
  }
}

/** A pod that is already gone needs no deletion cost. */
function ignoreGone(err: unknown): void {
  if (err instanceof ScaleError && err.code === 'not_found') return;
  throw err;
}

