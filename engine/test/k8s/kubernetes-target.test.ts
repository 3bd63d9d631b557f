import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunTick } from '../../src/runs/run-events.js';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { startClusterHarness, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * Acceptance: a kubernetes target against the fixture API server (real client-node, real
 * demo backends behind the fixture's ingress): the EndpointSlice watch drives the expected
 * shares, an endpoint turning unready leaves them within one tick and shows on the timeline,
 * and every response is attributed to its pod by the header.
 */
describe('kubernetes target', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 3 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('applies the spec\'s faults on the cluster at their time, with the pods they added on the timeline', async () => {
    const spec = parseTestSpec({
      name: 'k8s-spec-fault',
      target: { kind: 'kubernetes', url: h.cluster.ingressUrl, namespace: 'demo', service: 'demo' },
      load: { model: 'open', stages: [{ rate: 100, duration: '6s' }] },
      faults: [{ type: 'scale-up', count: 1, at: '1s', duration: '2s' }],
    });
    const run = new TestRun(spec, h.deps);
    await run.start();
    const r = await run.finished;
    expect(r.status).toBe('finished');
    expect(r.faults).toHaveLength(1);
    const f = r.faults![0];
    expect(f).toMatchObject({ type: 'scale-up', endReason: 'expired' });
    expect(f.pods).toHaveLength(1);
    expect(r.events?.some((e) => e.kind === 'pod-added' && e.pod === f.pods[0])).toBe(true);
    expect(r.events?.some((e) => e.kind === 'pod-removed' && e.pod === f.pods[0])).toBe(true);
    // The added pod stood behind the target too, and answered.
    expect(r.declaredPods).toEqual({ count: 4, silent: [], undeclared: [] });
    await h.cluster.settled();
    expect(h.cluster.podNames()).toHaveLength(3);
  });

  it('follows the endpoints watch: shares, an unready pod within one tick, header attribution', async () => {
    const pods = h.cluster.podNames();
    expect(pods).toHaveLength(3);
    const spec = parseTestSpec({
      name: 'k8s-target',
      target: { kind: 'kubernetes', url: h.cluster.ingressUrl, namespace: 'demo', service: 'demo' },
      load: { model: 'open', stages: [{ rate: 150, duration: '5s' }] },
    });
    const run = new TestRun(spec, h.deps);
    const ticks: RunTick[] = [];
    let unreadyAt: number | undefined;
    run.on('tick', (t) => {
      ticks.push(t);
      if (ticks.length === 2) {
        void h.cluster.setReady(pods[0], false).then(() => (unreadyAt = Date.now()));
      }
    });
    const tickAt: number[] = [];
    run.on('tick', () => tickAt.push(Date.now()));
    await run.start();
    const r = await run.finished;
    expect(r.status).toBe('finished');

    // Before: three pods in rotation, a third each.
    const first = ticks[0];
    expect(first.pods.filter((p) => p.eligible).map((p) => p.name).sort()).toEqual([...pods].sort());
    for (const p of first.pods) expect(p.expectedShare).toBeCloseTo(1 / 3, 6);

    // The watch saw the endpoint turn unready at once (well within a second of the API server's
    // change), and the first tick after that no longer counts the pod: within one tick.
    expect(unreadyAt).toBeDefined();
    const seen = r.events?.find((e) => e.kind === 'pod-unready' && e.pod === pods[0]);
    expect(seen).toBeDefined();
    const changedAt = (unreadyAt! - Date.parse(r.startedAt)) / 1000;
    expect(seen!.t - changedAt).toBeLessThan(1);
    const after = ticks.findIndex((t, i) => t.elapsed > seen!.t && tickAt[i] > 0);
    expect(after).toBeGreaterThan(0);
    const next = ticks[after];
    const gone = next.pods.find((p) => p.name === pods[0]);
    expect(gone?.eligible ?? false).toBe(false);
    for (const p of next.pods.filter((x) => x.eligible)) expect(p.expectedShare).toBeCloseTo(1 / 2, 6);
    expect(next.pods.filter((x) => x.eligible)).toHaveLength(2);

    // On the timeline.
    expect(r.events?.some((e) => e.kind === 'pod-unready' && e.pod === pods[0])).toBe(true);

    // Every response attributed to a pod by its header: the pods' counts add up to the total.
    const attributed = r.pods.reduce((a, p) => a + p.requests, 0);
    expect(r.totals.requests).toBeGreaterThan(600);
    expect(attributed).toBe(r.totals.requests);
    expect(r.pods.map((p) => p.name).sort()).toEqual([...pods].sort());
    for (const p of r.pods) expect(p.requests).toBeGreaterThan(0);
    // The unready pod got (almost) nothing after it left the ingress: its share is below a third.
    expect(r.pods.find((p) => p.name === pods[0])!.share).toBeLessThan(0.3);
    // Pod CPU from metrics.k8s.io gives the utilisation view.
    expect(r.balance.utilisation).not.toBeNull();
    for (const p of r.pods) expect(p.utilisation).toBeGreaterThan(0);
  });
});
