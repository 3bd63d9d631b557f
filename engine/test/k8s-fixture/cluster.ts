import type { ChildProcess } from 'node:child_process';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigFor } from '../../src/k8s/kube-api.js';
import type { PodBehaviour } from '../../src/spec/pod-behaviour.js';
import { DEFAULT_POD_BEHAVIOUR } from '../../src/spec/pod-behaviour.js';
import { sharedCounters } from '../../src/lab/counters.js';
import { DemoBackend } from '../../src/lab/demo-backend.js';
import { BalancingProxy } from '../../src/lab/proxy.js';
import { FixtureApiServer, type ClusterHooks } from './api-server.js';
import { fromBackendTrafficPolicy, fromDestinationRule, fromIngress, type DataPlanePolicy } from './balancer-config.js';
import type { PolicyRule } from './rbac.js';
import { ObjectStore, selectorMatcher, type Obj } from './store.js';

/**
 * Test fixture: a small cluster behind the fixture API server. Controllers do what the real
 * ones do to the objects the engine touches: a Deployment keeps a ReplicaSet, the ReplicaSet
 * keeps its pod count (removing the pods with the lowest `controller.kubernetes.io/pod-deletion-cost`
 * first), each pod runs a real demo backend on 127.0.0.1, the EndpointSlice controller lists the
 * Service's pods with their readiness, an Indexed Job starts its worker processes. The data
 * plane is the lab's balancing proxy standing in for the ingress: it sends to the ready
 * endpoints, obeys the balancer configuration (balancer-config.ts), and drops traffic to pods a
 * NetworkPolicy isolates (as a CNI that enforces policies does).
 */

export interface FixtureClusterOptions {
  namespace?: string;
  /** Namespaces that exist besides `namespace` (empty). */
  otherNamespaces?: string[];
  replicas?: number;
  behaviour?: Partial<PodBehaviour>;
  /** Behaviour of the n-th pod created (from 0), over `behaviour`: a slow pod, say. */
  podBehaviour?: (ordinal: number) => Partial<PodBehaviour>;
  /** The demo backend's pod header; '' for none. */
  podHeader?: string;
  /** The engine's Role rules (RBAC enforced when set) and where the Role is bound. */
  rules?: PolicyRule[];
  boundNamespaces?: string[];
  /** Which configuration object the ingress proxy obeys. */
  balancer?: 'ingress-nginx' | 'envoy-gateway' | 'istio';
  /** False: the pods run some other backend, with no fault endpoint (404). Default true. */
  faultEndpoint?: boolean;
  /** Starts a load-worker Job pod's process from its container env (JOB_COMPLETION_INDEX set). */
  runJobPod?: (env: Record<string, string>) => ChildProcess;
}

export const TOKEN = 'fixture-token';
const RS_HASH = '7d9f8c6b5';

export class FixtureCluster implements ClusterHooks {
  readonly store = new ObjectStore();
  readonly api: FixtureApiServer;
  readonly namespace: string;
  private ingress!: BalancingProxy;
  private readonly backends = new Map<string, DemoBackend>();
  private readonly starting = new Set<string>();
  private readonly notReady = new Set<string>();
  private readonly inProxy = new Set<string>();
  private readonly partitioned = new Set<string>();
  private readonly samples = new Map<string, { busyMs: number; at: number }>();
  private readonly jobProcs = new Map<string, ChildProcess>();
  private policyKey = '';
  private created = 0;
  private queued = false;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** The data plane's policy, as the balancer configuration set it. */
  policy: DataPlanePolicy = { policy: 'round-robin', options: {} };

  private constructor(private readonly o: FixtureClusterOptions) {
    this.namespace = o.namespace ?? 'demo';
    this.api = new FixtureApiServer(this.store, this, { token: TOKEN, rules: o.rules, boundNamespaces: o.boundNamespaces });
  }

  static async start(o: FixtureClusterOptions = {}): Promise<FixtureCluster> {
    const c = new FixtureCluster(o);
    c.ingress = await BalancingProxy.start({ mode: 'l7', policy: 'round-robin', ejectAfterFailures: 3, probeIntervalMs: 200 });
    await c.api.start();
    c.store.on('event', () => c.schedule());
    c.seed();
    await c.settled();
    return c;
  }

  /** The URL the ingress answers on (the data plane). */
  get ingressUrl(): string {
    return `http://127.0.0.1:${this.ingress.port}/`;
  }

  kubeConfig(token = TOKEN): KubeConfig {
    return kubeConfigFor(this.api.url, token);
  }

  /** Names of the Deployment's pods now. */
  podNames(): string[] {
    return this.store.list('pods', this.namespace, 'app=demo').map((p) => p.metadata.name).sort();
  }

  backend(pod: string): DemoBackend | undefined {
    return this.backends.get(pod);
  }

  /** Marks a pod ready or not (its readiness probe), which the EndpointSlice then shows. */
  async setReady(pod: string, ready: boolean): Promise<void> {
    if (ready) this.notReady.delete(pod);
    else this.notReady.add(pod);
    this.schedule();
    await this.settled();
  }

  /** Waits until the controllers have nothing left to do. */
  async settled(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      await this.chain;
      await new Promise((r) => setImmediate(r));
      if (!this.queued && this.starting.size === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Kills a load-worker Job pod's process (SIGKILL), as a node failure would. */
  killJobPod(index: number): boolean {
    const entry = [...this.jobProcs.entries()].find(([k]) => k.endsWith(`#${index}`));
    return entry ? entry[1].kill('SIGKILL') : false;
  }

  /** Pods a NetworkPolicy cuts off now. */
  isolated(): string[] {
    return [...this.partitioned].sort();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => undefined);
    for (const p of this.jobProcs.values()) p.kill('SIGKILL');
    await this.api.close();
    await this.ingress.close();
    await Promise.all([...this.backends.values()].map((b) => b.close()));
  }

  // ClusterHooks

  async proxy(ns: string, pod: string, _port: string, method: string, path: string, body: string): Promise<{ status: number; body: string; type: string }> {
    const b = this.backends.get(pod);
    if (!b || ns !== this.namespace) return { status: 503, body: `pod ${pod} has no running container`, type: 'text/plain' };
    if (this.o.faultEndpoint === false && path.startsWith('/_scale/')) return { status: 404, body: '404 page not found', type: 'text/plain' };
    const res = await fetch(`http://127.0.0.1:${b.port}${path}`, { method, body: method === 'GET' ? undefined : body, headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? 'text/plain' };
  }

  podMetrics(ns: string, selector?: string): unknown[] {
    const now = performance.now();
    return this.store
      .list('pods', ns, selector)
      .filter((p) => this.backends.has(p.metadata.name))
      .map((p) => {
        const name = p.metadata.name;
        const busy = this.backends.get(name)!.stats().busyMs;
        const prev = this.samples.get(name) ?? { busyMs: 0, at: now - 1000 };
        this.samples.set(name, { busyMs: busy, at: now });
        const cores = Math.max(0, busy - prev.busyMs) / Math.max(1, now - prev.at);
        return {
          metadata: { name, namespace: ns, creationTimestamp: new Date().toISOString() },
          timestamp: new Date().toISOString(),
          window: '1s',
          containers: [{ name: 'backend', usage: { cpu: `${Math.round(cores * 1e9)}n`, memory: '20Mi' } }],
        };
      });
  }

  // Controllers

  private seed(): void {
    const ns = this.namespace;
    const labels = { app: 'demo' };
    for (const n of [ns, ...(this.o.otherNamespaces ?? [])]) void n; // namespaces are implicit
    this.store.create('services', ns, obj('Service', 'demo', { spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } }));
    this.store.create('deployments', ns, obj('Deployment', 'demo', {
      spec: { replicas: this.o.replicas ?? 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'backend', image: 'scale-demo-backend:dev' }] } } },
    }));
    this.store.create('ingresses', ns, obj('Ingress', 'demo', {
      metadata: { name: 'demo', annotations: {} },
      spec: { ingressClassName: 'nginx', rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'demo', port: { number: 80 } } } }] } }] },
    }));
    this.store.create('httproutes', ns, obj('HTTPRoute', 'demo', {
      spec: { parentRefs: [{ name: 'eg' }], rules: [{ backendRefs: [{ name: 'demo', port: 80 }] }] },
    }));
  }

  private schedule(): void {
    if (this.queued || this.closed) return;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      await new Promise((r) => setImmediate(r));
      this.queued = false;
      if (!this.closed) await this.reconcile();
    }).catch(() => undefined);
  }

  private async reconcile(): Promise<void> {
    const ns = this.namespace;
    for (const d of this.store.list('deployments', ns)) this.reconcileDeployment(d);
    for (const rs of this.store.list('replicasets', ns)) this.reconcileReplicaSet(rs);
    this.reconcilePods();
    this.reconcileJobs();
    this.reconcileEndpoints();
    await this.reconcileDataPlane();
  }

  private reconcileDeployment(d: Obj): void {
    const ns = this.namespace;
    const name = `${d.metadata.name}-${RS_HASH}`;
    const replicas = (d.spec as { replicas?: number }).replicas ?? 1;
    const rs = this.store.get('replicasets', ns, name);
    const template = (d.spec as { template: unknown }).template;
    if (!rs) {
      this.store.create('replicasets', ns, obj('ReplicaSet', name, {
        metadata: { name, labels: { app: 'demo' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true }] },
        spec: { replicas, template },
      }));
    } else if ((rs.spec as { replicas: number }).replicas !== replicas) {
      this.store.patch('replicasets', ns, name, { spec: { replicas } });
    }
    const ready = this.store.list('pods', ns, 'app=demo').filter((p) => this.isReady(p)).length;
    if ((d.status as { replicas?: number } | undefined)?.replicas !== ready) this.store.patch('deployments', ns, d.metadata.name, { status: { replicas: ready, readyReplicas: ready } });
  }

  private reconcileReplicaSet(rs: Obj): void {
    const ns = this.namespace;
    const want = (rs.spec as { replicas: number }).replicas;
    const mine = this.store.list('pods', ns).filter((p) => p.metadata.ownerReferences?.[0]?.name === rs.metadata.name);
    const template = (rs.spec as { template: { metadata: { labels: Record<string, string> } } }).template;
    for (let i = mine.length; i < want; i++) {
      this.store.create('pods', ns, obj('Pod', '', {
        metadata: { name: '', generateName: `${rs.metadata.name}-`, labels: { ...template.metadata.labels }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true }] },
        spec: { containers: [{ name: 'backend', image: 'scale-demo-backend:dev' }] },
        status: { phase: 'Pending' },
      }));
    }
    if (mine.length > want) {
      // kube-controller-manager's order: lower pod-deletion-cost first, then not ready, then newest.
      const cost = (p: Obj) => Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0);
      const victims = [...mine]
        .sort((a, b) => cost(a) - cost(b) || Number(this.isReady(a)) - Number(this.isReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
        .slice(0, mine.length - want);
      for (const v of victims) this.store.delete('pods', ns, v.metadata.name);
    }
  }

  private reconcilePods(): void {
    const ns = this.namespace;
    const pods = this.store.list('pods', ns).filter((p) => !p.metadata.labels?.['job-name']);
    const names = new Set(pods.map((p) => p.metadata.name));
    for (const [name, b] of this.backends) {
      if (names.has(name)) continue;
      this.backends.delete(name);
      void b.close();
    }
    for (const p of pods) {
      const name = p.metadata.name;
      if (!this.backends.has(name) && !this.starting.has(name)) {
        this.starting.add(name);
        const behaviour = { ...DEFAULT_POD_BEHAVIOUR, ...this.o.behaviour, ...this.o.podBehaviour?.(this.created++) };
        void DemoBackend.start({ name, host: '127.0.0.1', port: 0, behaviour, podHeader: this.o.podHeader ?? 'x-scale-pod' }).then((b) => {
          this.starting.delete(name);
          if (this.closed || !this.store.get('pods', ns, name)) return void b.close();
          this.backends.set(name, b);
          this.samples.set(name, { busyMs: 0, at: performance.now() });
          this.schedule();
        });
        continue;
      }
      if (!this.backends.has(name)) continue;
      const ready = !this.notReady.has(name);
      const cur = p.status as { podIP?: string; conditions?: Array<{ type: string; status: string }> } | undefined;
      const curReady = cur?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      if (cur?.podIP !== '127.0.0.1' || curReady !== ready)
        this.store.patch('pods', ns, name, { status: { phase: 'Running', podIP: '127.0.0.1', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
    }
  }

  private isReady(p: Obj): boolean {
    return (p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  }

  private reconcileEndpoints(): void {
    const ns = this.namespace;
    for (const svc of this.store.list('services', ns)) {
      const selector = (svc.spec as { selector?: Record<string, string> }).selector ?? {};
      const match = selectorMatcher(Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(','));
      const endpoints = this.store
        .list('pods', ns)
        .filter((p) => match(p.metadata.labels ?? {}) && (p.status as { podIP?: string } | undefined)?.podIP)
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
        .map((p) => {
          const ready = this.isReady(p);
          return { addresses: ['127.0.0.1'], conditions: { ready, serving: ready, terminating: false }, targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid } };
        });
      const name = `${svc.metadata.name}-x7k2p`;
      const cur = this.store.get('endpointslices', ns, name);
      const body = { endpoints, ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] };
      if (!cur) {
        this.store.create('endpointslices', ns, obj('EndpointSlice', name, { metadata: { name, labels: { 'kubernetes.io/service-name': svc.metadata.name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } }, addressType: 'IPv4', ...body }));
      } else if (JSON.stringify(cur.endpoints) !== JSON.stringify(endpoints)) {
        this.store.update('endpointslices', ns, { ...cur, ...body });
      }
    }
  }

  private reconcileJobs(): void {
    const ns = this.namespace;
    const jobs = this.store.list('jobs', ns);
    const live = new Set(jobs.map((j) => j.metadata.name));
    for (const [key, proc] of this.jobProcs) {
      if (!live.has(key.split('#')[0])) {
        proc.kill('SIGKILL');
        this.jobProcs.delete(key);
      }
    }
    for (const job of jobs) {
      const spec = job.spec as { completions?: number; template: { spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } };
      const n = spec.completions ?? 1;
      for (let i = 0; i < n; i++) {
        const key = `${job.metadata.name}#${i}`;
        if (this.jobProcs.has(key) || !this.o.runJobPod) continue;
        const env: Record<string, string> = { JOB_COMPLETION_INDEX: String(i) };
        for (const e of spec.template.spec.containers[0]?.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
        const proc = this.o.runJobPod(env);
        this.jobProcs.set(key, proc);
        proc.on('exit', (code) => {
          if (this.closed) return;
          const cur = this.store.get('jobs', ns, job.metadata.name);
          if (!cur) return;
          const st = (cur.status as { succeeded?: number; failed?: number } | undefined) ?? {};
          this.store.patch('jobs', ns, job.metadata.name, { status: code === 0 ? { succeeded: (st.succeeded ?? 0) + 1 } : { failed: (st.failed ?? 0) + 1 } });
        });
      }
    }
  }

  private async reconcileDataPlane(): Promise<void> {
    const ns = this.namespace;
    const slice = this.store.get('endpointslices', ns, 'demo-x7k2p');
    const ready = new Set(
      ((slice?.endpoints as Array<{ conditions: { ready: boolean }; targetRef: { name: string } }> | undefined) ?? []).filter((e) => e.conditions.ready).map((e) => e.targetRef.name),
    );
    for (const name of [...this.inProxy]) {
      if (ready.has(name) && this.backends.has(name)) continue;
      this.inProxy.delete(name);
      await this.ingress.removePod(name);
    }
    for (const name of ready) {
      const b = this.backends.get(name);
      if (!b || this.inProxy.has(name)) continue;
      this.ingress.addPod({ name, port: b.port, weight: 1, counters: sharedCounters() });
      this.inProxy.add(name);
    }
    // NetworkPolicies that deny all ingress to the pods they select.
    const isolated = new Set<string>();
    for (const np of this.store.list('networkpolicies', ns)) {
      const s = np.spec as { podSelector?: { matchLabels?: Record<string, string> }; policyTypes?: string[]; ingress?: unknown[] };
      if (!s.policyTypes?.includes('Ingress') || (s.ingress && s.ingress.length > 0)) continue;
      const match = selectorMatcher(Object.entries(s.podSelector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(','));
      for (const p of this.store.list('pods', ns)) if (match(p.metadata.labels ?? {})) isolated.add(p.metadata.name);
    }
    for (const name of this.inProxy) {
      const want = isolated.has(name);
      if (want === this.partitioned.has(name)) continue;
      this.ingress.setPartition(name, want ? { mode: 'blackhole', connectTimeoutMs: 300 } : undefined);
      if (want) this.partitioned.add(name);
      else this.partitioned.delete(name);
    }
    for (const name of [...this.partitioned]) if (!this.inProxy.has(name)) this.partitioned.delete(name);
    const p = this.balancerPolicy();
    const key = JSON.stringify(p);
    if (key !== this.policyKey) {
      this.policyKey = key;
      this.policy = p;
      this.ingress.setPolicy(p.policy, p.options);
    }
  }

  private balancerPolicy(): DataPlanePolicy {
    const ns = this.namespace;
    switch (this.o.balancer) {
      case 'envoy-gateway':
        return fromBackendTrafficPolicy(
          this.store.list('backendtrafficpolicies', ns).find((b) => (b.spec as { targetRefs?: Array<{ name: string }> }).targetRefs?.some((t) => t.name === 'demo')),
        );
      case 'istio':
        return fromDestinationRule(this.store.list('destinationrules', ns).find((d) => (d.spec as { host?: string }).host?.startsWith('demo.')));
      default:
        return fromIngress(this.store.get('ingresses', ns, 'demo'));
    }
  }
}

function obj(kind: string, name: string, rest: Record<string, unknown>): Obj {
  const { metadata, ...other } = rest as { metadata?: Obj['metadata'] };
  return { apiVersion: '', kind, metadata: metadata ?? { name }, ...other };
}
