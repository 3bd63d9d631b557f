import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EnvoyGatewayApplier } from '../../src/k8s/balancers/envoy-gateway.js';
import { IngressNginxApplier } from '../../src/k8s/balancers/ingress-nginx.js';
import { IstioApplier } from '../../src/k8s/balancers/istio.js';
import type { BalancerApplier } from '../../src/k8s/balancers/balancer-applier.js';
import { MANAGED_BY_KEY, RESTORE_ANNOTATION } from '../../src/k8s/marks.js';
import { startClusterHarness, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * The tuner's appliers against the fixture: each writes its balancer's configuration (read back
 * by the fixture's ingress the way that balancer reads it, so a wrong field fails), records what
 * it replaced, restores it, refuses settings the balancer cannot express, and patches with the
 * merge-patch content type named.
 */
const cases: Array<{ balancer: 'ingress-nginx' | 'envoy-gateway' | 'istio'; make: (h: ClusterHarness) => BalancerApplier; resource: string; before: string; applied: string; setting: Parameters<BalancerApplier['apply']>[0]; unsupported: Parameters<BalancerApplier['apply']>[0] }> = [
  {
    balancer: 'ingress-nginx',
    make: (h) => new IngressNginxApplier(h.kube.api(), 'demo', 'demo'),
    resource: 'ingresses',
    before: 'round-robin',
    applied: 'peak-ewma',
    setting: { policy: 'peak-ewma', policyOptions: {} },
    unsupported: { policy: 'least-connections', policyOptions: {} },
  },
  {
    balancer: 'envoy-gateway',
    make: (h) => new EnvoyGatewayApplier(h.kube.api(), 'demo', 'demo', 'run-1'),
    resource: 'backendtrafficpolicies',
    before: 'power-of-two',
    applied: 'round-robin',
    setting: { policy: 'round-robin', policyOptions: { slowStartMs: 30_000 } },
    unsupported: { policy: 'consistent-hash', policyOptions: { hashKey: { from: 'path' } } },
  },
  {
    balancer: 'istio',
    make: (h) => new IstioApplier(h.kube.api(), 'demo', 'demo', 'run-1'),
    resource: 'destinationrules',
    before: 'power-of-two',
    applied: 'consistent-hash',
    setting: { policy: 'consistent-hash', policyOptions: { hashKey: { from: 'header', header: 'x-user' } } },
    unsupported: { policy: 'peak-ewma', policyOptions: {} },
  },
];

describe.each(cases)('$balancer applier', (c) => {
  let h: ClusterHarness;
  let a: BalancerApplier;
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 2, balancer: c.balancer });
    a = c.make(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('applies the setting to the real configuration and reads it back', async () => {
    expect(h.cluster.policy.policy).toBe(c.before);
    await a.apply(c.setting);
    await h.cluster.settled();
    expect(h.cluster.policy.policy).toBe(c.applied);
    expect((await a.current()).policy).toBe(c.setting.policy);
    if (c.setting.policyOptions.slowStartMs) expect(h.cluster.policy.options.slowStartMs).toBe(c.setting.policyOptions.slowStartMs);
    if (c.setting.policyOptions.hashKey) expect(h.cluster.policy.options.hashKey).toEqual(c.setting.policyOptions.hashKey);
  });

  it('restores what it replaced', async () => {
    await a.apply({ policy: 'round-robin', policyOptions: {} });
    await a.restore();
    await h.cluster.settled();
    expect(h.cluster.policy.policy).toBe(c.before);
    const objs = h.cluster.store.list(c.resource, 'demo');
    if (c.balancer === 'ingress-nginx') expect(objs[0].metadata.annotations).toEqual({});
    // The other two created their object (labelled as the engine's) and deleted it again.
    else expect(objs).toEqual([]);
    await a.restore(); // idempotent
  });

  it('refuses a setting the balancer cannot express, changing nothing', async () => {
    const writes = h.cluster.api.log.filter((l) => l.verb !== 'list').length;
    await expect(a.apply(c.unsupported)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(a.unsupported(c.unsupported)).toBeTruthy();
    expect(h.cluster.api.log.filter((l) => l.verb !== 'list').length).toBe(writes);
  });

  it('sent every patch as a merge patch', () => {
    const patches = h.cluster.api.log.filter((l) => l.verb === 'patch');
    expect(patches.length).toBeGreaterThan(0);
    for (const p of patches) expect(p.contentType).toBe('application/merge-patch+json');
  });
});

describe('appliers on objects the user already has', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 2, balancer: 'istio' });
    h.cluster.store.create('destinationrules', 'demo', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'demo-rule' },
      spec: { host: 'demo.demo.svc.cluster.local', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' }, connectionPool: { http: { http1MaxPendingRequests: 100 } } } },
    });
    await h.cluster.settled();
  });
  afterAll(async () => {
    await h.close();
  });

  it('changes the existing rule, marks it with the values it replaced, and puts exactly those back', async () => {
    const a = new IstioApplier(h.kube.api(), 'demo', 'demo');
    expect((await a.current()).policy).toBe('round-robin');
    await a.apply({ policy: 'random', policyOptions: {} });
    await a.apply({ policy: 'power-of-two', policyOptions: { slowStartMs: 10_000 } });
    const changed = h.cluster.store.get('destinationrules', 'demo', 'demo-rule')!;
    expect(changed.metadata.labels?.[MANAGED_BY_KEY]).toBeUndefined();
    // The original (ROUND_ROBIN, no warm-up) survives two changes.
    expect(JSON.parse(changed.metadata.annotations![RESTORE_ANNOTATION]).spec.trafficPolicy.loadBalancer).toEqual({ consistentHash: null, simple: 'ROUND_ROBIN', warmupDurationSecs: null });
    await h.cluster.settled();
    expect(h.cluster.policy).toEqual({ policy: 'power-of-two', options: { choices: 2, slowStartMs: 10_000 } });
    await a.restore();
    const back = h.cluster.store.get('destinationrules', 'demo', 'demo-rule')!;
    expect(back.spec).toEqual({ host: 'demo.demo.svc.cluster.local', trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' }, connectionPool: { http: { http1MaxPendingRequests: 100 } } } });
    expect(back.metadata.annotations ?? {}).toEqual({});
    expect(back.metadata.labels ?? {}).toEqual({});
  });
});
