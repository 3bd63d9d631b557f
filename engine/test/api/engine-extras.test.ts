import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, quickLabSpec, startTestEngine, waitFor, type TestEngine } from '../helpers/test-engine.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

/** The routes of the later issues, through the real engine (wiring, envelope, OpenAPI). */
describe('simulate, scenarios, failures and tuning routes on the engine', () => {
  it('every route is in the OpenAPI document', async () => {
    const doc = await call(t.url, 'GET', '/openapi.json');
    for (const p of ['/api/simulate', '/api/scenarios', '/api/scenario/generate', '/api/failure/inject', '/api/failures', '/api/failure/{id}', '/api/tuning', '/api/tuning/enable', '/api/tuning/disable'])
      expect(Object.keys(doc.body.paths)).toContain(p);
  });

  it('POST /api/simulate answers a Result in virtual time, deterministic for a seed', async () => {
    const body = { policy: 'power-of-two', pods: 20, serviceTime: 'exp:10ms', load: { model: 'open', load: 0.8 }, requests: 50_000, seed: 3 };
    const a = await call(t.url, 'POST', '/api/simulate', body);
    expect(a.status).toBe(200);
    expect(a.body.totals.requests).toBe(50_000);
    expect(a.body.balance.verdict).toBe('balanced');
    const b = await call(t.url, 'POST', '/api/simulate', body);
    expect(b.body.latency).toEqual(a.body.latency);
    expect(a.body.simulatedRequestsPerSecond).toBeGreaterThan(0);
    const bad = await call(t.url, 'POST', '/api/simulate', { pods: 0, policy: 'x', requests: 1e12 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.length).toBeGreaterThanOrEqual(3);
  });

  it('GET /api/scenarios lists the library; generate answers from the built-in generator without a key', async () => {
    const list = await call(t.url, 'GET', '/api/scenarios');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain('thundering-herd');
    const gen = await call(t.url, 'POST', '/api/scenario/generate', { type: 'spike' });
    expect(gen.status).toBe(200);
    expect(gen.body.source).toBe('builtin');
  });

  it('faults: inject into a running lab test, list, remove; unknown pods are refused with 400', async () => {
    const start = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', stages: [{ rate: 50, duration: '10s' }] } }));
    const id = start.body.id as string;
    await waitFor(async () => ((await call(t.url, 'GET', `/api/load-test/status/${id}`)).body.status === 'running' ? true : undefined));
    const bad = await call(t.url, 'POST', '/api/failure/inject', { testId: id, type: 'latency', pods: ['pod-9'], duration: '5s' });
    expect(bad.status).toBe(400);
    const ok = await call(t.url, 'POST', '/api/failure/inject', { testId: id, type: 'errors', pods: ['pod-1'], duration: '5s' });
    expect(ok.status).toBeLessThan(300);
    const list = await call(t.url, 'GET', `/api/failures?testId=${id}`);
    expect(JSON.stringify(list.body)).toContain(ok.body.id);
    const del = await call(t.url, 'DELETE', `/api/failure/${ok.body.id}`);
    expect(del.status).toBe(200);
    await call(t.url, 'POST', `/api/load-test/stop/${id}`);
  }, 30_000);

  it('tuning: state, enable for an unknown test is 404, disable answers', async () => {
    const state = await call(t.url, 'GET', '/api/tuning');
    expect(state.status).toBe(200);
    expect((await call(t.url, 'POST', '/api/tuning/enable', { testId: 'nope' })).status).toBe(404);
    const off = await call(t.url, 'POST', '/api/tuning/disable', {});
    expect(off.status).toBe(200);
  });

  it('tuning: recommend for a 2 s test answers at once with a clear error, not never', async () => {
    const started = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec());
    expect(started.status).toBe(201);
    const began = Date.now();
    const r = await call(t.url, 'POST', '/api/tuning/recommend', { testId: started.body.id });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/ends before the tuner has the 3 one-second windows/);
    expect(Date.now() - began).toBeLessThan(5_000);
    await waitFor(async () => ((await call(t.url, 'GET', `/api/load-test/status/${started.body.id}`)).body.status === 'finished' ? true : undefined), 15_000);
  }, 30_000);
});
