import type { V1Job } from '@kubernetes/client-node';
import { WORKER_ENV } from '../load/distributed/protocol.js';
import type { WorkerLauncher } from '../load/distributed/remote-fleet.js';
import type { KubeApi } from './kube-api.js';
import { createdLabels } from './marks.js';

/** How the engine runs load workers in its cluster. */
export interface WorkerJobSettings {
  namespace: string;
  /** The engine's image (the worker program is `scale worker`). */
  image: string;
  /** ws:// URL at which the workers reach the engine's worker endpoint (its Service's `workers` port). */
  url: () => string;
  /** How long the pods may take to be scheduled, pull the image and connect. Default 180 s. */
  connectTimeoutMs?: number;
}

/**
 * The load-worker Indexed Job of one distributed run (k8s/workers/load-worker-job.yaml is the
 * same Job for running by hand): one pod per worker, its index from JOB_COMPLETION_INDEX, no
 * retries (a lost worker is reported, not replaced mid-run), no API access, the same security
 * context as the engine. Labelled as the engine's, so a restarted engine deletes a leftover one.
 */
export function workerJob(o: { name: string; image: string; workers: number; env: Record<string, string>; runId?: string }): V1Job {
  const labels = { ...createdLabels(o.runId), 'app.kubernetes.io/name': 'scale-load-worker' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: o.name, labels },
    spec: {
      completionMode: 'Indexed',
      completions: o.workers,
      parallelism: o.workers,
      backoffLimit: 0,
      ttlSecondsAfterFinished: 300,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'worker',
              image: o.image,
              args: ['worker'],
              env: Object.entries(o.env).map(([name, value]) => ({ name, value })),
              resources: { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      },
    },
  };
}

/** Runs a distributed load's workers as an Indexed Job in the engine's namespace; deletes it at the end. */
export class JobLauncher implements WorkerLauncher {
  readonly connectTimeoutMs: number;
  private created: string | undefined;
  private name = '';
  private watch: AbortController | undefined;

  constructor(
    private readonly api: KubeApi,
    private readonly s: WorkerJobSettings,
    private readonly runId?: string,
  ) {
    this.connectTimeoutMs = s.connectTimeoutMs ?? 180_000;
  }

  get where(): string {
    return `Job ${this.name || 'scale-load-…'} in namespace ${this.s.namespace}`;
  }

  async launch(o: { run: string; token: string; workers: number; fail: (message: string) => void }): Promise<void> {
    this.name = `scale-load-${o.run.slice(0, 8)}`;
    const env = { [WORKER_ENV.url]: this.s.url(), [WORKER_ENV.run]: o.run, [WORKER_ENV.token]: o.token };
    const job = workerJob({ name: this.name, image: this.s.image, workers: o.workers, env, runId: this.runId });
    await this.api.createJob(this.s.namespace, job);
    this.created = this.name;
    // A pod that fails (image pull, crash before connecting) fails the Job's count: say so at once.
    const selector = `job-name=${this.name}`;
    this.watch = await this.api
      .watch('watchJobs', this.s.namespace, { labelSelector: Object.entries(job.metadata!.labels!).map(([k, v]) => `${k}=${v}`).join(',') }, (_type, obj) => {
        const j = obj as { metadata?: { name?: string }; status?: { failed?: number } };
        if (j.metadata?.name === this.name && (j.status?.failed ?? 0) > 0) o.fail(`${j.status!.failed} pod(s) of Job ${this.name} failed (kubectl describe job ${this.name}; ${selector})`);
      }, () => undefined)
      .catch(() => undefined);
  }

  async cleanup(): Promise<void> {
    this.watch?.abort();
    this.watch = undefined;
    const name = this.created;
    this.created = undefined;
    if (name) await this.api.deleteJob(this.s.namespace, name).catch(() => undefined);
  }
}
