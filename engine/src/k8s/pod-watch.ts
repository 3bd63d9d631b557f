import { EventEmitter } from 'node:events';
import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import type { ScaleError } from '../core/errors.js';
import type { KubeApi } from './kube-api.js';
import { WatchedList, type Listed } from './watched-list.js';

/**
 * Which pods stand behind the target and which of them are in rotation, kept current by a
 * watch (watched-list.ts), never by polling:
 * - a Service: its EndpointSlices (label `kubernetes.io/service-name`); a pod is in rotation
 *   while its endpoint is `ready` (the Service's own definition; an absent condition means
 *   ready, as the EndpointSlice API documents);
 * - a label selector: the pods it picks; in rotation while the pod has an IP, is not being
 *   deleted and its Ready condition is True.
 * Every change is compared with the last state and reported as pod events.
 */

/** A change in the pods behind the target. */
export interface PodChange {
  /** Epoch ms when the watch delivered it. */
  at: number;
  kind: 'pod-added' | 'pod-removed' | 'pod-ready' | 'pod-unready';
  pod: string;
}

export interface PodWatchEvents {
  change: [change: PodChange];
  interrupted: [err: ScaleError];
}

export class PodWatch extends EventEmitter<PodWatchEvents> {
  private state = new Map<string, boolean>();

  private constructor(
    private readonly list: WatchedList<Listed>,
    private readonly project: (items: ReadonlyMap<string, Listed>) => Map<string, boolean>,
    private readonly now: () => number,
  ) {
    super();
    list.on('change', (items) => this.update(items));
    list.on('interrupted', (err) => this.emit('interrupted', err));
  }

  /** The Service's endpoints. */
  static ofService(api: KubeApi, namespace: string, service: string, now: () => number = Date.now): PodWatch {
    const labelSelector = `kubernetes.io/service-name=${service}`;
    const list = new WatchedList<Listed>({
      list: () => api.listEndpointSlices(namespace, labelSelector) as Promise<{ items: Listed[] }>,
      watch: (resourceVersion, onEvent, onDone) => api.watch('watchEndpointSlices', namespace, { labelSelector, resourceVersion }, onEvent, onDone),
    });
    return new PodWatch(list, (items) => endpointsOf(items as ReadonlyMap<string, V1EndpointSlice>), now);
  }

  /** The pods a label selector picks. */
  static ofSelector(api: KubeApi, namespace: string, labelSelector: string, now: () => number = Date.now): PodWatch {
    const list = new WatchedList<Listed>({
      list: () => api.listPods(namespace, labelSelector) as Promise<{ items: Listed[] }>,
      watch: (resourceVersion, onEvent, onDone) => api.watch('watchPods', namespace, { labelSelector, resourceVersion }, onEvent, onDone),
    });
    return new PodWatch(list, (items) => readyPods(items as ReadonlyMap<string, V1Pod>), now);
  }

  /** Lists, then watches; rejects when the first list fails. */
  async start(): Promise<void> {
    await this.list.start();
  }

  /** Every pod behind the target now, in name order, with whether it is in rotation. */
  pods(): Array<{ name: string; ready: boolean }> {
    return [...this.state].map(([name, ready]) => ({ name, ready })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Watch restarts and fresh lists so far (for diagnostics and tests). */
  get stats(): { watches: number; relists: number } {
    return { watches: this.list.watches, relists: this.list.relists };
  }

  close(): void {
    this.list.close();
  }

  private update(items: ReadonlyMap<string, Listed>): void {
    const next = this.project(items);
    const at = this.now();
    const first = this.state.size === 0 && this.list.watches === 0;
    const prev = this.state;
    this.state = next;
    if (first) return;
    for (const [pod, ready] of next) {
      const was = prev.get(pod);
      if (was === undefined) {
        this.emit('change', { at, kind: 'pod-added', pod });
        if (ready) this.emit('change', { at, kind: 'pod-ready', pod });
      } else if (was !== ready) this.emit('change', { at, kind: ready ? 'pod-ready' : 'pod-unready', pod });
    }
    for (const pod of prev.keys()) if (!next.has(pod)) this.emit('change', { at, kind: 'pod-removed', pod });
  }
}

/** Pod name → in rotation, over every slice of the Service (a pod is listed once; ready wins). */
export function endpointsOf(slices: ReadonlyMap<string, V1EndpointSlice>): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const s of slices.values()) {
    for (const e of s.endpoints ?? []) {
      const name = e.targetRef?.kind === 'Pod' || e.targetRef?.kind === undefined ? e.targetRef?.name : undefined;
      if (!name) continue;
      const ready = e.conditions?.ready !== false;
      out.set(name, (out.get(name) ?? false) || ready);
    }
  }
  return out;
}

/** Pod name → Ready, for pods with an IP that are not being deleted. */
export function readyPods(pods: ReadonlyMap<string, V1Pod>): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const [name, p] of pods) {
    if (!p.status?.podIP || p.metadata?.deletionTimestamp) continue;
    out.set(name, p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false);
  }
  return out;
}
