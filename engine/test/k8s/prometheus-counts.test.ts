import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { startClusterHarness, type ClusterHarness } from '../k8s-fixture/harness.js';
import { freePort } from '../helpers/free-port.js';
import { instantQuery, startPrometheus, workDir, type Daemon } from '../observability/stack.js';

/**
 * The fallback for backends that add no pod header: per-pod counts from a real Prometheus
 * (Debian's) scraping the demo backends every second, read with the user's PromQL. Responses
 * carry no header, yet every pod's share is known.
 */
describe('kubernetes target without a pod header: counts from Prometheus', () => {
  let h: ClusterHarness;
  let prom: Daemon;
  const work = workDir();
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 3, podHeader: '' });
    const targets = h.cluster.podNames().map((p) => `127.0.0.1:${h.cluster.backend(p)!.port}`);
    const config = join(work.dir, 'prometheus.yml');
    writeFileSync(config, JSON.stringify({ global: { scrape_interval: '1s' }, scrape_configs: [{ job_name: 'demo', static_configs: [{ targets }] }] }));
    prom = await startPrometheus(work.dir, config, await freePort());
  });
  afterAll(async () => {
    await prom?.stop();
    await h.close();
    work.remove();
  });

  it('attributes the run to pods by their Prometheus counters', async () => {
    // Wait for a first scrape of every backend, so the run's baseline is a real value.
    for (let i = 0; i < 100; i++) {
      const r = await instantQuery(prom.url, 'count(scale_demo_requests_total)');
      if (r[0]?.value[1] === '3') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const spec = parseTestSpec({
      name: 'prom-counts',
      target: { kind: 'kubernetes', url: h.cluster.ingressUrl, namespace: 'demo', service: 'demo', podCounts: { prometheus: prom.url, query: 'sum by (pod) (scale_demo_requests_total)' } },
      load: { model: 'open', stages: [{ rate: 150, duration: '6s' }] },
    });
    const run = new TestRun(spec, h.deps);
    await run.start();
    const r = await run.finished;
    expect(r.status).toBe('finished');
    // No response named its pod...
    expect(r.pods.map((p) => p.name).sort()).toEqual(h.cluster.podNames().sort());
    // ...yet each pod's requests are known, up to the last scrape (at most about a second of traffic).
    const counted = r.pods.reduce((a, p) => a + p.requests, 0);
    expect(counted).toBeGreaterThan(r.totals.requests - 2 * 150);
    expect(counted).toBeLessThanOrEqual(r.totals.requests);
    for (const p of r.pods) expect(p.share).toBeGreaterThan(0.25);
    expect(r.balance.verdict).toBe('balanced');
  });
});
