import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEngine, type Engine } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import { API_CALLS } from '../../src/k8s/api-calls.js';
import { IngressNginxApplier } from '../../src/k8s/balancers/ingress-nginx.js';
import { kubeConfigFor } from '../../src/k8s/kube-api.js';
import { KubeContext, type KubeSettings } from '../../src/k8s/kube-context.js';
import { CHANGED_LABEL, ISOLATED_LABEL } from '../../src/k8s/marks.js';
import { KubernetesTargetAdapter } from '../../src/targets/kubernetes-target.js';
import { FixtureCluster } from '../k8s-fixture/cluster.js';
import type { PolicyRule } from '../k8s-fixture/rbac.js';
import { call } from '../helpers/test-engine.js';

/**
 * The engine with a cluster: bad kubernetes targets are refused before any traffic with every
 * problem listed; a 403 from the API server is a clear error naming the missing permission and
 * the engine keeps running; an engine that starts after a crash removes what was left behind.
 */
async function engineWith(kube: KubeSettings): Promise<{ engine: Engine; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'scale-k8s-'));
  const engine = await startEngine(loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent' }), { kube });
  return {
    engine,
    close: async () => {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const settingsFor = (c: FixtureCluster, o: Partial<KubeSettings> = {}): KubeSettings => ({
  namespaces: ['demo'],
  maxFaultFraction: 0.5,
  dryRun: false,
  metricsIntervalMs: 300,
  load: () => c.kubeConfig(),
  ...o,
});

const served = (c: FixtureCluster) => c.podNames().reduce((a, p) => a + (c.backend(p)?.stats().served ?? 0), 0);

describe('engine with a kubernetes target: bad input', () => {
  let c: FixtureCluster;
  let e: Awaited<ReturnType<typeof engineWith>>;
  beforeAll(async () => {
    c = await FixtureCluster.start({ replicas: 2 });
    e = await engineWith(settingsFor(c));
  });
  afterAll(async () => {
    await e.close();
    await c.close();
  });

  const start = (target: Record<string, unknown>) =>
    call(e.engine.url, 'POST', '/api/load-test/start', { target: { kind: 'kubernetes', url: c.ingressUrl, ...target }, load: { model: 'open', stages: [{ rate: 50, duration: '2s' }] } });

  it('refuses a namespace outside the allowed list and a URL outside the allow-list, listing both', async () => {
    const r = await start({ namespace: 'prod', service: 'demo', url: 'http://10.1.2.3/' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['target.namespace', 'target.url']);
    expect(r.body.error.details.find((d: { path: string }) => d.path === 'target.namespace').message).toMatch(/"prod" is not allowed; this engine may use demo/);
  });

  it('refuses an unknown Service', async () => {
    const r = await start({ namespace: 'demo', service: 'nope' });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ path: 'target.service', message: 'no Service "nope" in namespace "demo"' }]);
  });

  it('refuses a cluster that cannot be reached', async () => {
    const down = await engineWith(settingsFor(c, { load: () => kubeConfigFor('http://127.0.0.1:1', 'x') }));
    try {
      const r = await call(down.engine.url, 'POST', '/api/load-test/start', {
        target: { kind: 'kubernetes', url: c.ingressUrl, namespace: 'demo', service: 'demo' },
        load: { model: 'open', stages: [{ rate: 50, duration: '2s' }] },
      });
      expect(r.status).toBe(400);
      expect(r.body.error.details).toEqual([{ path: 'target', message: expect.stringMatching(/cannot be reached \(ECONNREFUSED\)/) }]);
    } finally {
      await down.close();
    }
  });

  it('sent no traffic and stored no run for any of them', async () => {
    expect(served(c)).toBe(0);
    expect((await call(e.engine.url, 'GET', '/api/results')).body.results ?? []).toEqual([]);
  });
});

describe('engine with a kubernetes target: a 403 from the API server', () => {
  let c: FixtureCluster;
  let e: Awaited<ReturnType<typeof engineWith>>;
  beforeAll(async () => {
    // Every permission the engine uses except creating NetworkPolicies.
    const rules: PolicyRule[] = Object.entries(API_CALLS)
      .filter(([name]) => name !== 'createNetworkPolicy')
      .map(([, a]) => ({ apiGroups: [a.group], resources: [a.resource], verbs: [a.verb] }));
    c = await FixtureCluster.start({ replicas: 2, rules, boundNamespaces: ['demo'] });
    e = await engineWith(settingsFor(c));
  });
  afterAll(async () => {
    await e.close();
    await c.close();
  });

  it('answers with the missing permission, and the engine and its test keep running', async () => {
    const started = await call(e.engine.url, 'POST', '/api/load-test/start', {
      target: { kind: 'kubernetes', url: c.ingressUrl, namespace: 'demo', service: 'demo' },
      load: { model: 'open', stages: [{ rate: 20, duration: '20s' }] },
    });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    const [pod] = c.podNames();
    const refused = await call(e.engine.url, 'POST', '/api/failure/inject', { testId: id, type: 'partition', pods: [pod] });
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toMatch(/refused \(403\).*may not create networkpolicies \(networking\.k8s\.io\) in namespace "demo".*grant "create" on "networkpolicies" in API group "networking\.k8s\.io"/);
    expect((await call(e.engine.url, 'GET', '/health')).status).toBe(200);
    const ok = await call(e.engine.url, 'POST', '/api/failure/inject', { testId: id, type: 'latency', pods: [pod], delay: '10ms' });
    expect(ok.status).toBe(201);
    expect((await call(e.engine.url, 'GET', `/api/load-test/status/${id}`)).body.status).toBe('running');
    await call(e.engine.url, 'POST', `/api/load-test/stop/${id}`);
  });
});

describe('engine restart after a crash', () => {
  let c: FixtureCluster;
  beforeAll(async () => {
    c = await FixtureCluster.start({ replicas: 4 });
  });
  afterAll(async () => {
    await c.close();
  });

  it('removes the labelled objects and restores what was changed', async () => {
    // An engine applies a partition, a scale-down and a balancer setting, then dies without rolling back.
    const kube = new KubeContext(settingsFor(c));
    const target = await KubernetesTargetAdapter.open({ kind: 'kubernetes', url: c.ingressUrl, namespace: 'demo', service: 'demo', podHeader: 'x-scale-pod' }, kube, 'crashed-run');
    const [a, b] = c.podNames();
    await target.chaos.setPartition(a, { mode: 'blackhole', connectTimeoutMs: 1000 });
    await target.chaos.removePod(b);
    await new IngressNginxApplier(kube.api(), 'demo', 'demo').apply({ policy: 'peak-ewma', policyOptions: {} });
    await c.settled();
    expect(c.store.list('networkpolicies', 'demo')).toHaveLength(1);
    expect((c.store.get('deployments', 'demo', 'demo')!.spec as { replicas: number }).replicas).toBe(3);
    expect(c.policy.policy).toBe('peak-ewma');

    const e = await engineWith(settingsFor(c));
    try {
      await c.settled();
      expect(c.store.list('networkpolicies', 'demo')).toHaveLength(0);
      expect((c.store.get('deployments', 'demo', 'demo')!.spec as { replicas: number }).replicas).toBe(4);
      const pa = c.store.get('pods', 'demo', a)!;
      expect(pa.metadata.labels?.[ISOLATED_LABEL]).toBeUndefined();
      expect(pa.metadata.labels?.[CHANGED_LABEL]).toBeUndefined();
      const ing = c.store.get('ingresses', 'demo', 'demo')!;
      expect(ing.metadata.annotations ?? {}).toEqual({});
      expect(c.policy.policy).toBe('round-robin');
      expect(c.isolated()).toEqual([]);
    } finally {
      await e.close();
      await target.close();
    }
  });
});
