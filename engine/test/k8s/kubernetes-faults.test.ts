import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { FaultManager } from '../../src/chaos/fault-manager.js';
import { ScaleError } from '../../src/core/errors.js';
import { KubeContext } from '../../src/k8s/kube-context.js';
import { CHANGED_LABEL, ISOLATED_LABEL, MANAGED_BY_KEY, RESTORE_ANNOTATION } from '../../src/k8s/marks.js';
import { KubernetesTargetAdapter } from '../../src/targets/kubernetes-target.js';
import { startClusterHarness, until, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * Acceptance: every fault kind applied and rolled back against the fixture cluster, through the
 * same FaultManager (TTL, removal, detach) as the lab; the guard rails; dry-run; a backend
 * without the fault endpoint refused with a clear message.
 */
const TARGET = { kind: 'kubernetes' as const, url: 'http://127.0.0.1:1/', namespace: 'demo', service: 'demo', podHeader: 'x-scale-pod' };

async function attach(h: ClusterHarness, kube = h.kube) {
  const target = await KubernetesTargetAdapter.open(TARGET, kube, 'run-faults');
  const manager = new FaultManager();
  manager.attach({ id: 't1', name: 'faults' }, target.chaos);
  return { target, manager };
}

const replicas = (h: ClusterHarness) => (h.cluster.store.get('deployments', 'demo', 'demo')!.spec as { replicas: number }).replicas;
const faultsOf = async (h: ClusterHarness, pod: string) => (await (await fetch(`http://127.0.0.1:${h.cluster.backend(pod)!.port}/_scale/faults`)).json()) as { faults: Record<string, unknown> };

describe('kubernetes faults', () => {
  let h: ClusterHarness;
  let ctx: Awaited<ReturnType<typeof attach>>;
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 4 });
    ctx = await attach(h);
  });
  afterAll(async () => {
    await ctx.manager.shutdown();
    await ctx.target.close();
    await h.close();
  });
  afterEach(async () => {
    await h.cluster.settled();
  });

  it('pod-failure deletes the pod; its ReplicaSet replaces it', async () => {
    const [victim] = h.cluster.podNames();
    const r = await ctx.manager.inject('t1', { type: 'pod-failure', pods: [victim], duration: '5s' });
    expect(r.pods).toEqual([victim]);
    await h.cluster.settled();
    expect(h.cluster.podNames()).not.toContain(victim);
    expect(h.cluster.podNames()).toHaveLength(4);
    const ended = await ctx.manager.remove(r.id);
    expect(ended).toMatchObject({ state: 'ended', endReason: 'removed' });
    expect(ended.error).toBeUndefined();
  });

  it('partition: a labelled NetworkPolicy isolates the pod; rollback deletes it and the label', async () => {
    await until(() => h.cluster.podNames().length === 4);
    const [, pod] = h.cluster.podNames();
    const r = await ctx.manager.inject('t1', { type: 'partition', pods: [pod], duration: '30s' });
    await h.cluster.settled();
    const nps = h.cluster.store.list('networkpolicies', 'demo');
    expect(nps).toHaveLength(1);
    expect(nps[0].metadata.labels?.[MANAGED_BY_KEY]).toBe('scale-engine');
    expect(h.cluster.store.get('pods', 'demo', pod)!.metadata.labels?.[ISOLATED_LABEL]).toBe(nps[0].metadata.name);
    expect(h.cluster.isolated()).toEqual([pod]);
    await ctx.manager.remove(r.id);
    await h.cluster.settled();
    expect(h.cluster.store.list('networkpolicies', 'demo')).toHaveLength(0);
    const labels = h.cluster.store.get('pods', 'demo', pod)!.metadata.labels ?? {};
    expect(labels[ISOLATED_LABEL]).toBeUndefined();
    expect(labels[CHANGED_LABEL]).toBeUndefined();
    expect(h.cluster.isolated()).toEqual([]);
  });

  it('scale-down removes the chosen pod through the scale subresource and restores the count', async () => {
    const pod = h.cluster.podNames()[2];
    const r = await ctx.manager.inject('t1', { type: 'scale-down', pods: [pod], duration: '30s' });
    await h.cluster.settled();
    expect(replicas(h)).toBe(3);
    expect(h.cluster.podNames()).not.toContain(pod);
    const d = h.cluster.store.get('deployments', 'demo', 'demo')!;
    expect(JSON.parse(d.metadata.annotations![RESTORE_ANNOTATION])).toEqual({ spec: { replicas: 4 } });
    await ctx.manager.remove(r.id);
    await h.cluster.settled();
    expect(replicas(h)).toBe(4);
    expect(h.cluster.store.get('deployments', 'demo', 'demo')!.metadata.annotations?.[RESTORE_ANNOTATION]).toBeUndefined();
    expect(h.cluster.podNames()).toHaveLength(4);
  });

  it('scale-up adds a replica, names the new pod, and removes exactly it on rollback', async () => {
    await until(() => ctx.target.chaos.pods().length === 4);
    const before = h.cluster.podNames();
    const r = await ctx.manager.inject('t1', { type: 'scale-up', count: 1, duration: '30s' });
    expect(r.pods).toHaveLength(1);
    expect(before).not.toContain(r.pods[0]);
    expect(replicas(h)).toBe(5);
    await ctx.manager.remove(r.id);
    await h.cluster.settled();
    expect(replicas(h)).toBe(4);
    expect(h.cluster.podNames()).not.toContain(r.pods[0]);
    expect(h.cluster.podNames().sort()).toEqual(before.sort());
  });

  it('latency and errors go through the demo backend fault endpoint and expire on their TTL', async () => {
    const [a, b] = h.cluster.podNames();
    const lat = await ctx.manager.inject('t1', { type: 'latency', pods: [a], delay: '50ms', duration: '30s' });
    const err = await ctx.manager.inject('t1', { type: 'errors', pods: [b], rate: 0.5, status: 503, duration: '300ms' });
    expect((await faultsOf(h, a)).faults).toEqual({ delay: { latency: { kind: 'fixed', ms: 50 }, fraction: 1 } });
    expect((await faultsOf(h, b)).faults).toEqual({ abort: { rate: 0.5, status: 503 } });
    await until(() => ctx.manager.list({ state: 'ended' }).some((f) => f.id === err.id));
    expect(ctx.manager.list().find((f) => f.id === err.id)?.endReason).toBe('expired');
    expect((await faultsOf(h, b)).faults).toEqual({});
    await ctx.manager.remove(lat.id);
    expect((await faultsOf(h, a)).faults).toEqual({});
    // Every change went as a merge patch (the fixture answers 415 to anything else).
    expect(h.cluster.api.log.filter((l) => l.verb === 'patch').every((l) => l.contentType?.startsWith('application/merge-patch+json'))).toBe(true);
  });

  it('refuses a fault that touches more pods than the guard rail allows, changing nothing', async () => {
    const nps = h.cluster.store.list('networkpolicies', 'demo').length;
    await expect(ctx.manager.inject('t1', { type: 'partition', count: 3, duration: '5s' })).rejects.toMatchObject({
      code: 'invalid_input',
      details: [expect.objectContaining({ message: expect.stringMatching(/touch 3 of 4 pods; this engine allows at most 50% \(2\)/) })],
    });
    expect(h.cluster.store.list('networkpolicies', 'demo')).toHaveLength(nps);
  });

  it('detach (the test ends) rolls back every active fault', async () => {
    const [p] = h.cluster.podNames();
    await ctx.manager.inject('t1', { type: 'partition', pods: [p], duration: '60s' });
    await ctx.manager.inject('t1', { type: 'scale-up', count: 1, duration: '60s' });
    await ctx.manager.detach('t1', 'test-ended');
    await h.cluster.settled();
    expect(h.cluster.store.list('networkpolicies', 'demo')).toHaveLength(0);
    expect(replicas(h)).toBe(4);
    expect(ctx.manager.list({ testId: 't1', state: 'active' })).toEqual([]);
    ctx.manager.attach({ id: 't1', name: 'faults' }, ctx.target.chaos);
  });
});

describe('kubernetes fault guard rails', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 3, faultEndpoint: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses latency on a backend without the fault endpoint, saying which faults work', async () => {
    const { target, manager } = await attach(h);
    const [p] = h.cluster.podNames();
    const err = await manager.inject('t1', { type: 'latency', pods: [p], duration: '5s' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScaleError);
    expect((err as ScaleError).message).toMatch(/does not run Scale's demo backend.*pod-failure, partition, scale-up and scale-down work on any backend/);
    await manager.shutdown();
    await target.close();
  });

  it('dry-run sends every change with dryRun=All and persists nothing', async () => {
    const kube = new KubeContext({ ...h.settings, dryRun: true });
    const { target, manager } = await attach(h, kube);
    const [p] = h.cluster.podNames();
    const r = await manager.inject('t1', { type: 'partition', pods: [p], duration: '5s' });
    expect(r.params.dryRun).toBe(true);
    const down = await manager.inject('t1', { type: 'scale-down', count: 1, duration: '5s' });
    expect(h.cluster.store.list('networkpolicies', 'demo')).toHaveLength(0);
    expect(replicas(h)).toBe(3);
    expect(h.cluster.store.get('pods', 'demo', p)!.metadata.labels?.[ISOLATED_LABEL]).toBeUndefined();
    await manager.remove(r.id);
    await manager.remove(down.id);
    const writes = h.cluster.api.log.filter((l) => ['create', 'patch', 'delete'].includes(l.verb) && l.resource !== 'pods/proxy');
    expect(writes.length).toBeGreaterThan(3);
    expect(writes.every((l) => l.dryRun)).toBe(true);
    await manager.shutdown();
    await target.close();
  });
});
