import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { AutoTuner } from '../../src/tuning/auto-tuner.js';
import { startClusterHarness, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * The tuner on a cluster: for a kubernetes run whose target names its balancer (ingress-nginx
 * here), each setting the balancer offers is applied through the applier and measured on the
 * running test; the best clearly better one stays, and disable puts the Ingress back.
 * One of three pods is five times slower: round-robin keeps it as busy as five pods.
 */
describe('tuning a cluster balancer', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness(
      { replicas: 3, behaviour: { latency: { kind: 'fixed', ms: 10 } }, podBehaviour: (i) => (i === 0 ? { latency: { kind: 'fixed', ms: 50 } } : {}) },
      { metricsIntervalMs: 200 },
    );
  });
  afterAll(async () => {
    await h.close();
  });

  it('measures round-robin and ewma live, applies the better one, and disable restores the Ingress', async () => {
    const spec = parseTestSpec({
      name: 'cluster-tune',
      target: { kind: 'kubernetes', url: h.cluster.ingressUrl, namespace: 'demo', service: 'demo', balancer: 'ingress-nginx' },
      load: { model: 'open', stages: [{ rate: 150, duration: '30s' }] },
      thresholds: { p99: '500ms' },
    });
    const run = new TestRun(spec, h.deps);
    const tuner = new AutoTuner({ runDeps: h.deps });
    await run.start();
    try {
      const d = await tuner.tuneRun(run);
      expect(d.rows.map((r) => r.setting.policy).sort()).toEqual(['peak-ewma', 'round-robin']);
      for (const r of d.rows) expect(r.measured!.requests).toBeGreaterThan(200);
      expect(d.current.setting.policy).toBe('round-robin');
      const ing = () => h.cluster.store.get('ingresses', 'demo', 'demo')!.metadata.annotations ?? {};
      // The slow pod: ewma sends it less, which evens out the work.
      expect(d.action).toBe('applied');
      expect(d.winner.setting.policy).toBe('peak-ewma');
      expect(ing()['nginx.ingress.kubernetes.io/load-balance']).toBe('ewma');
      await h.cluster.settled();
      expect(h.cluster.policy.policy).toBe('peak-ewma');
      expect(tuner.state().applied).toEqual([{ testId: run.id, current: expect.objectContaining({ policy: 'peak-ewma' }), original: expect.objectContaining({ policy: 'round-robin' }) }]);
      const reverted = await tuner.disable();
      expect(reverted.map((r) => r.setting.policy)).toEqual(['round-robin']);
      expect(ing()).toEqual({});
    } finally {
      run.stop();
      await run.finished;
    }
  }, 60_000);

  it('disable during the measurement cancels it and puts the Ingress back', async () => {
    const spec = parseTestSpec({
      name: 'cluster-tune-cancel',
      target: { kind: 'kubernetes', url: h.cluster.ingressUrl, namespace: 'demo', service: 'demo', balancer: 'ingress-nginx' },
      load: { model: 'open', stages: [{ rate: 100, duration: '30s' }] },
    });
    const run = new TestRun(spec, h.deps);
    const tuner = new AutoTuner({ runDeps: h.deps });
    await run.start();
    try {
      const tuning = tuner.tuneRun(run);
      tuning.catch(() => undefined);
      // The current setting is measured first (4 windows), then ewma is applied and measured.
      const ing = () => h.cluster.store.get('ingresses', 'demo', 'demo')!.metadata.annotations ?? {};
      for (let i = 0; i < 200 && ing()['nginx.ingress.kubernetes.io/load-balance'] !== 'ewma'; i++) await new Promise((r) => setTimeout(r, 50));
      expect(ing()['nginx.ingress.kubernetes.io/load-balance']).toBe('ewma');
      await tuner.disable();
      await expect(tuning).rejects.toMatchObject({ code: 'conflict' });
      expect(ing()).toEqual({});
      expect(tuner.state().applied).toEqual([]);
    } finally {
      run.stop();
      await run.finished;
    }
  }, 60_000);
});
