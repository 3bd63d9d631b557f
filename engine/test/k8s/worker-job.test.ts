import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LOOPBACK_ONLY, TargetAllowList } from '../../src/config/allow-list.js';
import { workerJob, JobLauncher } from '../../src/k8s/worker-job.js';
import { workerEntry } from '../../src/load/distributed/local-launcher.js';
import { WorkerHub } from '../../src/load/distributed/worker-hub.js';
import { runDeps } from '../../src/runs/default-deps.js';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { startClusterHarness, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * Distributed load in a cluster: the engine creates the load-worker Indexed Job; the fixture's
 * Job controller starts one worker process per index with the pod's environment (the same
 * worker program as `scale worker` in the engine image), which reach the engine's worker
 * endpoint; the Job is deleted at the end. A Job whose pods fail fails the run at once.
 */
describe('load-worker Indexed Job', () => {
  let h: ClusterHarness;
  let fail = false;
  const hub = new WorkerHub();
  beforeAll(async () => {
    h = await startClusterHarness({
      replicas: 2,
      runJobPod: (env) => {
        if (fail) return spawn(process.execPath, ['-e', 'process.exit(1)']);
        const { entry, execArgv } = workerEntry();
        return spawn(process.execPath, [...execArgv, entry], { env: { ...process.env, ...env }, stdio: 'ignore' });
      },
    });
  });
  afterAll(async () => {
    await hub.close();
    await h.close();
  });

  const deps = () =>
    runDeps(new TargetAllowList(LOOPBACK_ONLY), h.kube, {
      hub,
      where: 'cluster',
      launcher: (runId) => new JobLauncher(h.kube.api(), { namespace: 'demo', image: 'scale-engine:dev', url: () => hub.localUrl, connectTimeoutMs: 30_000 }, runId),
    });
  const spec = parseTestSpec({
    name: 'job-workers',
    target: { kind: 'kubernetes', url: 'http://127.0.0.1:1/', namespace: 'demo', service: 'demo' },
    load: { model: 'open', stages: [{ rate: 100, duration: '3s' }], workers: 2 },
  });

  it('runs the workers as an Indexed Job against the target and deletes the Job', async () => {
    const s = { ...spec, target: { ...spec.target, url: h.cluster.ingressUrl } };
    const run = new TestRun(s, deps());
    await run.start();
    const r = await run.finished;
    expect(r.status).toBe('finished');
    expect(Math.abs(r.totals.requests - 300)).toBeLessThanOrEqual(6);
    expect(r.workers).toEqual({ count: 2, lost: [], lostShare: 0 });
    expect(r.pods.reduce((a, p) => a + p.requests, 0)).toBe(r.totals.requests);
    const created = h.cluster.api.log.find((l) => l.verb === 'create' && l.resource === 'jobs');
    expect(created).toBeDefined();
    expect(h.cluster.api.log.some((l) => l.verb === 'watch' && l.resource === 'jobs')).toBe(true);
    expect(h.cluster.api.log.some((l) => l.verb === 'delete' && l.resource === 'jobs')).toBe(true);
    expect(h.cluster.store.list('jobs', 'demo')).toEqual([]);
  });

  it('fails the run at once when the Job pods fail, saying so', async () => {
    fail = true;
    const s = { ...spec, target: { ...spec.target, url: h.cluster.ingressUrl } };
    const started = Date.now();
    const run = new TestRun(s, deps());
    await run.start();
    const r = await run.finished;
    fail = false;
    expect(r.status).toBe('failed');
    expect(r.error?.message).toMatch(/could not start \(Job scale-load-\w+ in namespace demo\).*pod\(s\) of Job/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(h.cluster.store.list('jobs', 'demo')).toEqual([]);
  });

  it('builds the Job the manifest in k8s/workers describes', () => {
    const j = workerJob({ name: 'x', image: 'img', workers: 3, env: { A: '1' } });
    expect(j.spec).toMatchObject({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimit: 0 });
    expect(j.spec!.template.spec!.containers[0].args).toEqual(['worker']);
  });
});
