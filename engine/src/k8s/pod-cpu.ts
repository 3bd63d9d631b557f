import type { KubeApi } from './kube-api.js';

/**
 * Pod CPU from metrics.k8s.io for the utilisation view. The metrics API gives each pod's CPU
 * as a rate averaged over metrics-server's window (15 s by default), not a counter, so busy
 * time is integrated here: at every read, busy += cores × time since the last read. With
 * concurrency 1 (one core as the unit), a pod's utilisation is its mean cores in use.
 * Polled in the background (there is no watch on metrics); a cluster without metrics-server
 * (404/503) just has no utilisation view, which `available` tells.
 */
export class PodCpu {
  private cores = new Map<string, number>();
  private readonly busyMs = new Map<string, number>();
  private lastRead: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  /** False until a poll succeeded; stays false when the metrics API is missing. */
  available = false;
  /** Why the last poll failed, if it did. */
  lastError: string | undefined;

  constructor(
    private readonly api: KubeApi,
    private readonly namespace: string,
    private readonly labelSelector: string | undefined,
    private readonly intervalMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** First poll (awaited, so the first tick has numbers), then one every interval. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref?.();
  }

  /** Cumulative busy ms per pod up to now (only pods the metrics API reported). */
  read(): Map<string, number> {
    const now = this.now();
    if (this.lastRead !== undefined) {
      const dt = now - this.lastRead;
      for (const [pod, c] of this.cores) this.busyMs.set(pod, (this.busyMs.get(pod) ?? 0) + c * dt);
    }
    this.lastRead = now;
    return new Map(this.busyMs);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private poll(): Promise<void> {
    this.polling ??= (async () => {
      try {
        const list = await this.api.listPodMetrics(this.namespace, this.labelSelector);
        const next = new Map<string, number>();
        for (const p of list.items) next.set(p.metadata.name, p.containers.reduce((a, c) => a + parseCpu(c.usage?.cpu), 0));
        // Integrate the old rates up to now before the new ones apply.
        this.read();
        this.cores = next;
        this.available = true;
        this.lastError = undefined;
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err);
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }
}

/** A Kubernetes CPU quantity in cores: `250m`, `12345678n`, `1500u`, `2`. */
export function parseCpu(q: string | undefined): number {
  if (!q) return 0;
  const m = /^([0-9.]+)(n|u|m)?$/.exec(q.trim());
  if (!m) return 0;
  const v = Number(m[1]);
  const unit = m[2] === 'n' ? 1e-9 : m[2] === 'u' ? 1e-6 : m[2] === 'm' ? 1e-3 : 1;
  return Number.isFinite(v) ? v * unit : 0;
}
