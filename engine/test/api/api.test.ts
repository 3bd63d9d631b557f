import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, quickLabSpec, startTestEngine, waitFor, type TestEngine } from '../helpers/test-engine.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

describe('engine API over real sockets', () => {
  it('GET /health answers without a token', async () => {
    const r = await call(t.url, 'GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', runningTests: 0 });
  });

  it('runs a lab test: running → finished, then status, result, list and CSV', async () => {
    const start = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ name: 'lifecycle' }));
    expect(start.status).toBe(201);
    const id = start.body.id as string;
    expect(start.body.status).toBe('running');

    const running = await call(t.url, 'GET', `/api/load-test/status/${id}`);
    expect(running.status).toBe(200);
    expect(running.body).toMatchObject({ id, name: 'lifecycle', status: 'running' });

    const live = await waitFor(async () => {
      const m = await call(t.url, 'GET', '/api/metrics');
      return m.body.tests.find((x: { id: string }) => x.id === id);
    });
    expect(live.pods.length).toBe(3);
    // A page that polls the status each second gets the per-pod bars of the last window from it.
    const polled = await waitFor(async () => {
      const s = await call(t.url, 'GET', `/api/load-test/status/${id}`);
      return s.body.window ? s.body : undefined;
    });
    expect(polled.pods.map((p: { name: string }) => p.name)).toEqual(['pod-1', 'pod-2', 'pod-3']);
    expect(polled.pods[0].expectedShare).toBeCloseTo(1 / 3, 5);
    expect(polled.window.t).toBeGreaterThan(0);
    // and the verdict alerts read: this window's, or the latest windows' pooled when it is too thin
    expect(polled.recent.windows).toBeGreaterThanOrEqual(1);
    expect(['balanced', 'imbalanced', 'insufficient-data', 'no-data']).toContain(polled.recent.verdict);

    const done = await waitFor(async () => {
      const s = await call(t.url, 'GET', `/api/load-test/status/${id}`);
      return s.body.status === 'finished' ? s.body : undefined;
    });
    expect(done.progress).toBe(1);
    expect(done.pods.length).toBe(3);

    const result = await call(t.url, 'GET', `/api/results/${id}`);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ id, status: 'finished' });
    expect(result.body.totals.requests).toBeGreaterThanOrEqual(190);
    expect(result.body.pods.map((p: { name: string }) => p.name)).toEqual(['pod-1', 'pod-2', 'pod-3']);
    expect(result.body.balance.verdict).toBe('balanced');
    expect(result.body.timeline.length).toBeGreaterThanOrEqual(2);

    const list = await call(t.url, 'GET', '/api/results?limit=10&status=finished&name=lifecycle');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id, name: 'lifecycle', status: 'finished' });
    // the list says what its score measures, as the Result does
    expect(list.body.items[0]).toMatchObject({ score: result.body.balance.score, basis: result.body.balance.basis, requestScore: result.body.balance.requestScore });
    // and the OpenAPI document declares every field a summary has
    const declared = (await call(t.url, 'GET', '/openapi.json')).body.paths['/api/results'].get.responses['200'].content['application/json'].schema.properties.items.items;
    expect(Object.keys(list.body.items[0]).filter((k) => !(k in declared.properties))).toEqual([]);
    expect(declared.required.filter((k: string) => !(k in list.body.items[0]))).toEqual([]);

    const csv = await call(t.url, 'GET', `/api/results/${id}?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = csv.text.trim().split(/\r?\n/);
    expect(rows[0]).toMatch(/^t,requests,errors/);
    expect(rows[0]).toContain('pod-1');
    expect(rows.length).toBe(result.body.timeline.length + 1);

    const listCsv = await call(t.url, 'GET', '/api/results?format=csv');
    expect(listCsv.text.split(/\r?\n/)[0]).toMatch(/^id,name,status/);
    const listRows = listCsv.text.trim().split(/\r?\n/).map((l: string) => l.split(','));
    const basisAt = listRows[0].indexOf('basis');
    expect(listRows.find((r: string[]) => r[0] === id)?.[basisAt]).toBe(result.body.balance.basis);
  });

  it('stops a test early and keeps what was measured', async () => {
    const start = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ name: 'stop-me', load: { model: 'open', stages: [{ rate: 100, duration: '30s' }] } }));
    const id = start.body.id as string;
    await waitFor(async () => ((await call(t.url, 'GET', '/api/metrics')).body.tests.some((x: { id: string }) => x.id === id) ? true : undefined));
    const stop = await call(t.url, 'POST', `/api/load-test/stop/${id}`);
    expect(stop.status).toBe(200);
    const r = await waitFor(async () => {
      const x = await call(t.url, 'GET', `/api/results/${id}`);
      return x.body.status === 'stopped' ? x.body : undefined;
    });
    expect(r.totals.requests).toBeGreaterThan(0);
    expect(r.duration).toBeLessThan(20);
    const again = await call(t.url, 'POST', `/api/load-test/stop/${id}`);
    expect(again.status).toBe(409);
  });

  it('serves the OpenAPI document (every route) and the docs page', async () => {
    const doc = await call(t.url, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.0.3');
    for (const p of ['/health', '/api/load-test/start', '/api/load-test/stop/{id}', '/api/load-test/status/{id}', '/api/metrics', '/api/results', '/api/results/{id}', '/metrics'])
      expect(Object.keys(doc.body.paths)).toContain(p);
    const body = doc.body.paths['/api/load-test/start'].post.requestBody.content['application/json'].schema;
    expect(body.properties.target).toBeDefined();
    expect(body.additionalProperties).toBe(false);
    const docs = await call(t.url, 'GET', '/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    const init = await call(t.url, 'GET', '/docs/swagger-initializer.js');
    expect(init.text).toContain('../openapi.json');
  });

  it('exposes Prometheus metrics for a running lab test, lab pods included', async () => {
    const start = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ name: 'scraped', load: { model: 'open', stages: [{ rate: 100, duration: '3s' }] } }));
    const label = `scraped/${(start.body.id as string).slice(0, 8)}`;
    const text = await waitFor(async () => {
      const m = await call(t.url, 'GET', '/metrics');
      return m.text.includes(`scale_balance_score{test="${label}"}`) ? m.text : undefined;
    });
    expect(text).toContain(`scale_test_running{test="${label}"} 1`);
    expect(text).toContain(`scale_lab_pod_up{test="${label}",pod="pod-1"} 1`);
    expect(text).toMatch(new RegExp(`scale_requests_total\\{test="${label.replace('/', '\\/')}",pod="pod-2",code="ok"\\} \\d+`));
    // once finished: every answered request is in its pod's latency histogram, exactly once
    await waitFor(async () => ((await call(t.url, 'GET', `/api/load-test/status/${start.body.id}`)).body.status === 'finished' ? true : undefined));
    const end = (await call(t.url, 'GET', '/metrics')).text;
    const value = (series: string) => Number(end.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ')[1]);
    for (const pod of ['pod-1', 'pod-2', 'pod-3']) {
      const ok = value(`scale_requests_total{test="${label}",pod="${pod}",code="ok"}`);
      expect(ok).toBeGreaterThan(50);
      expect(value(`scale_request_duration_seconds_count{test="${label}",pod="${pod}"}`)).toBe(ok);
      expect(value(`scale_request_duration_seconds_bucket{le="+Inf",test="${label}",pod="${pod}"}`)).toBe(ok);
    }
  });
});
