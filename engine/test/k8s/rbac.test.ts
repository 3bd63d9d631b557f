import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadAllYaml } from '@kubernetes/client-node';
import { FaultManager } from '../../src/chaos/fault-manager.js';
import { API_CALLS } from '../../src/k8s/api-calls.js';
import { EnvoyGatewayApplier } from '../../src/k8s/balancers/envoy-gateway.js';
import { IngressNginxApplier } from '../../src/k8s/balancers/ingress-nginx.js';
import { IstioApplier } from '../../src/k8s/balancers/istio.js';
import { cleanUpLeftovers } from '../../src/k8s/janitor.js';
import { findRoute } from '../../src/k8s/routes.js';
import { JobLauncher } from '../../src/k8s/worker-job.js';
import { KubernetesTargetAdapter } from '../../src/targets/kubernetes-target.js';
import type { PolicyRule } from '../k8s-fixture/rbac.js';
import { startClusterHarness, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * Least privilege. Every call the adapter can make goes through one entry of API_CALLS (KubeApi
 * has no other way to reach the API), so that table is the list of calls: the Role in k8s/
 * must grant exactly those (no more, no wildcards, no ClusterRole). Then the whole adapter runs
 * (target, watches, every fault, every applier, the janitor, the worker Job) against an API
 * server that enforces that Role: nothing is refused, every logged call is in the table, and
 * every entry of the table was used.
 */
const root = fileURLToPath(new URL('../../../k8s/', import.meta.url));

function role(): { rules: PolicyRule[]; kinds: string[] } {
  const docs = loadAllYaml(execFileSync('kubectl', ['kustomize', `${root}base`], { encoding: 'utf8' })) as Array<{ kind: string; rules?: PolicyRule[]; subjects?: unknown[] }>;
  const roles = docs.filter((d) => d.kind === 'Role');
  expect(roles).toHaveLength(1);
  return { rules: roles[0].rules ?? [], kinds: docs.map((d) => d.kind) };
}

const key = (group: string, resource: string, verb: string) => `${group}|${resource}|${verb}`;

describe('the engine Role', () => {
  it('grants exactly the calls in API_CALLS, without wildcards, and nothing cluster-wide', () => {
    const { rules, kinds } = role();
    expect(kinds).not.toContain('ClusterRole');
    expect(kinds).not.toContain('ClusterRoleBinding');
    const granted = new Set<string>();
    for (const r of rules) {
      expect(r.resourceNames ?? []).toEqual([]);
      for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) for (const v of r.verbs) {
        expect([g, res, v]).not.toContain('*');
        granted.add(key(g, res, v));
      }
    }
    const used = new Set(Object.values(API_CALLS).map((c) => key(c.group, c.resource, c.verb)));
    expect([...granted].filter((g) => !used.has(g))).toEqual([]);
    expect([...used].filter((u) => !granted.has(u))).toEqual([]);
  });
});

describe('the adapter under the Role', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 4, rules: role().rules, boundNamespaces: ['demo'], balancer: 'istio' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('makes only calls the Role grants, and uses every one of them', async () => {
    const api = h.kube.api();
    const target = { kind: 'kubernetes' as const, url: h.cluster.ingressUrl, namespace: 'demo', podHeader: 'x-scale-pod' };
    // Target through a Service (EndpointSlices) and through a selector (pods), with pod CPU.
    const t = await KubernetesTargetAdapter.open({ ...target, service: 'demo', balancer: 'ingress-nginx' }, h.kube, 'rbac');
    const bySelector = await KubernetesTargetAdapter.open({ ...target, selector: 'app=demo' }, h.kube, 'rbac');
    await t.pods();
    // Every fault kind.
    const m = new FaultManager();
    m.attach({ id: 'r', name: 'rbac' }, t.chaos);
    const [a, b] = h.cluster.podNames();
    for (const f of [
      { type: 'latency' as const, pods: [a] },
      { type: 'partition' as const, pods: [b] },
      { type: 'scale-down' as const, count: 1 },
      { type: 'scale-up' as const, count: 1 },
    ]) await m.inject('r', { ...f, duration: '60s' });
    await m.detach('r', 'test-ended');
    m.attach({ id: 'r2', name: 'rbac' }, t.chaos);
    await m.inject('r2', { type: 'pod-failure', pods: [h.cluster.podNames()[0]], duration: '60s' });
    await m.shutdown();
    // Every applier.
    const ingress = new IngressNginxApplier(api, 'demo', await findRoute(api, 'demo', 'ingress-nginx', 'demo'));
    const envoy = new EnvoyGatewayApplier(api, 'demo', await findRoute(api, 'demo', 'envoy-gateway', 'demo'), 'rbac');
    const istio = new IstioApplier(api, 'demo', 'demo', 'rbac');
    for (const ap of [ingress, envoy, istio]) {
      await ap.apply({ policy: 'round-robin', policyOptions: {} });
      await ap.apply({ policy: 'random', policyOptions: {} }).catch(() => undefined); // ingress-nginx refuses random: no call
    }
    // A crash leaves a changed Ingress and a created rule: the janitor puts them back.
    await cleanUpLeftovers(api);
    // The worker Job.
    const jobs = new JobLauncher(api, { namespace: 'demo', image: 'scale-engine:dev', url: () => 'ws://127.0.0.1:1/' }, 'rbac');
    await jobs.launch({ run: 'rbac-run', token: 't', workers: 2, fail: () => undefined });
    await jobs.cleanup();
    await t.close();
    await bySelector.close();
    await h.cluster.settled();

    const log = h.cluster.api.log;
    expect(log.filter((l) => l.status === 403).map((l) => `${l.verb} ${l.resource}`)).toEqual([]);
    const table = new Set(Object.values(API_CALLS).map((c) => key(c.group, c.resource, c.verb)));
    const made = new Set(log.map((l) => key(l.group, l.resource, l.verb)));
    expect([...made].filter((k) => !table.has(k))).toEqual([]);
    expect([...table].filter((k) => !made.has(k))).toEqual([]);
  });
});
