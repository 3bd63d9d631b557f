import type { V1Service } from '@kubernetes/client-node';
import { ScaleError, ValidationError, type Issue } from '../core/errors.js';
import { applierFor, type BalancerApplier } from '../k8s/balancers/index.js';
import { KubeChaos } from '../k8s/kube-chaos.js';
import type { KubeApi } from '../k8s/kube-api.js';
import type { KubeContext } from '../k8s/kube-context.js';
import { PodCpu } from '../k8s/pod-cpu.js';
import { PodWatch } from '../k8s/pod-watch.js';
import { PrometheusCounts } from '../k8s/prometheus-counts.js';
import { findRoute } from '../k8s/routes.js';
import type { KubernetesTarget } from '../spec/kubernetes-target-spec.js';
import type { DeclaredPods } from './declared-pods.js';
import type { Target, TargetEvent, TargetPod } from './target.js';

/** The demo backend's port when the Service's targetPort is a name or absent. */
const DEFAULT_BACKEND_PORT = 8080;

/** What checking a kubernetes target found out (besides its problems). */
export interface CheckedTarget {
  issues: Issue[];
  service?: V1Service;
  /** The Ingress or HTTPRoute the balancer setting goes on. */
  route?: string;
}

/**
 * Checks a kubernetes target against the cluster before any traffic: the namespace is allowed,
 * the cluster answers, the Service exists, the balancer's route exists, the Prometheus query
 * answers. Every problem is listed with its path; nothing is changed.
 */
export async function checkKubernetesTarget(t: KubernetesTarget, ctx: KubeContext): Promise<CheckedTarget> {
  const issues: Issue[] = [];
  if (!ctx.settings.namespaces.includes(t.namespace))
    issues.push({ path: 'target.namespace', message: `namespace "${t.namespace}" is not allowed; this engine may use ${ctx.settings.namespaces.join(', ')} (K8S_NAMESPACES)` });
  if (t.podCounts) {
    try {
      await new PrometheusCounts(t.podCounts.prometheus, t.podCounts.query).counters();
    } catch (err) {
      issues.push({ path: 'target.podCounts', message: message(err) });
    }
  }
  if (issues.some((i) => i.path === 'target.namespace')) return { issues };
  let api: KubeApi;
  try {
    api = ctx.api();
  } catch (err) {
    return { issues: [...issues, { path: 'target', message: message(err) }] };
  }
  const out: CheckedTarget = { issues };
  try {
    if (t.service) out.service = await api.readService(t.namespace, t.service);
    else await api.listPods(t.namespace, t.selector);
  } catch (err) {
    const unknown = err instanceof ScaleError && err.code === 'not_found';
    issues.push({ path: unknown ? 'target.service' : 'target', message: unknown ? `no Service "${t.service}" in namespace "${t.namespace}"` : message(err) });
    return out;
  }
  if (t.balancer === 'ingress-nginx' || t.balancer === 'envoy-gateway') {
    try {
      out.route = await findRoute(api, t.namespace, t.balancer, t.service, t.route);
    } catch (err) {
      issues.push({ path: 'target.route', message: message(err) });
    }
  }
  return out;
}

/**
 * A Service (or the pods a selector picks) in a cluster, reached at `url`: pods in rotation
 * from the watched EndpointSlices, pod CPU from metrics.k8s.io for the utilisation view, pod
 * changes as events on the run's timeline, faults through the cluster (KubeChaos), the
 * balancer's applier for the tuner, and per-pod counts from Prometheus when responses carry no
 * pod header.
 */
export class KubernetesTargetAdapter implements Target {
  readonly kind = 'kubernetes' as const;
  readonly url: string;
  readonly podHeader: string;
  readonly chaos: KubeChaos;
  /** Sets the tuner's choice on the balancer (absent when the target names none). */
  readonly balancer?: BalancerApplier;
  private readonly listeners = new Set<(e: TargetEvent) => void>();
  private readonly everSeen = new Set<string>();
  private closed = false;

  private constructor(
    spec: KubernetesTarget,
    private readonly watch: PodWatch,
    private readonly cpu: PodCpu,
    chaos: KubeChaos,
    balancer: BalancerApplier | undefined,
    private readonly counts: PrometheusCounts | undefined,
  ) {
    this.url = spec.url;
    this.podHeader = spec.podHeader;
    this.chaos = chaos;
    this.balancer = balancer;
    for (const p of watch.pods()) this.everSeen.add(p.name);
    // A watch that keeps failing retries every few seconds: its error goes on the timeline once, until it recovers.
    let lastError: string | undefined;
    watch.on('change', (c) => {
      lastError = undefined;
      this.everSeen.add(c.pod);
      this.emit({ at: c.at, kind: c.kind, pod: c.pod, message: describe(c.kind, c.pod) });
    });
    watch.on('interrupted', (err) => {
      if (err.message === lastError) return;
      lastError = err.message;
      this.emit({ at: Date.now(), kind: 'watch-error', message: `pod watch interrupted, resuming: ${err.message}` });
    });
  }

  /** Checks the target (every problem listed, as a ValidationError) and starts watching its pods. */
  static async open(spec: KubernetesTarget, ctx: KubeContext, runId?: string): Promise<KubernetesTargetAdapter> {
    const checked = await checkKubernetesTarget(spec, ctx);
    if (checked.issues.length > 0) throw new ValidationError(checked.issues, 'the kubernetes target cannot be used');
    const api = ctx.api();
    const watch = spec.service ? PodWatch.ofService(api, spec.namespace, spec.service) : PodWatch.ofSelector(api, spec.namespace, spec.selector!);
    await watch.start();
    const selector = spec.selector ?? selectorOf(checked.service);
    const cpu = new PodCpu(api, spec.namespace, selector, ctx.settings.metricsIntervalMs);
    const counts = spec.podCounts ? new PrometheusCounts(spec.podCounts.prometheus, spec.podCounts.query) : undefined;
    try {
      await cpu.start();
      // The first read is the baseline: the run counts what pods serve from here on.
      await counts?.delta();
    } catch (err) {
      watch.close();
      cpu.close();
      throw err;
    }
    const chaos = new KubeChaos(api, watch, { namespace: spec.namespace, backendPort: backendPort(checked.service), maxFaultFraction: ctx.settings.maxFaultFraction, runId });
    return new KubernetesTargetAdapter(spec, watch, cpu, chaos, applierFor(spec, api, checked.route, runId), counts);
  }

  /** Every pod behind the target: in rotation while its endpoint is ready; busy time from its CPU. */
  async pods(): Promise<TargetPod[]> {
    const busy = this.cpu.read();
    return this.watch.pods().map((p) => ({
      name: p.name,
      eligible: p.ready,
      ...(this.cpu.available ? { busyMs: busy.get(p.name) ?? 0, concurrency: 1 } : {}),
    }));
  }

  /**
   * Every pod that stood behind the target since it opened (the EndpointSlices'), as its declared
   * pods: one that never answered is reported silent (a balancer that starves it).
   */
  get declaredPods(): DeclaredPods {
    for (const p of this.watch.pods()) this.everSeen.add(p.name);
    const names = [...this.everSeen].sort();
    return { names, count: names.length };
  }

  onEvent(listener: (e: TargetEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Present only with `podCounts` (the Prometheus fallback). */
  get podRequests(): (() => Promise<Record<string, number>>) | undefined {
    const counts = this.counts;
    return counts ? () => counts.delta() : undefined;
  }

  /** Watch restarts and re-lists so far. */
  get watchStats(): { watches: number; relists: number } {
    return this.watch.stats;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watch.close();
    this.cpu.close();
    this.listeners.clear();
    // A setting the tuner applied goes back with the test (the applier remembers the original).
    await this.balancer?.restore().catch(() => undefined);
  }

  private emit(e: TargetEvent): void {
    for (const l of this.listeners) l(e);
  }

}

function describe(kind: TargetEvent['kind'], pod: string): string {
  switch (kind) {
    case 'pod-added':
      return `pod ${pod} appeared behind the target`;
    case 'pod-removed':
      return `pod ${pod} left the target`;
    case 'pod-ready':
      return `pod ${pod} is ready: in rotation`;
    default:
      return `pod ${pod} is not ready: out of rotation`;
  }
}

function selectorOf(svc: V1Service | undefined): string | undefined {
  const sel = svc?.spec?.selector;
  return sel ? Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

function backendPort(svc: V1Service | undefined): number {
  const t = svc?.spec?.ports?.[0]?.targetPort as unknown;
  return typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : DEFAULT_BACKEND_PORT;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
