import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FaultManager } from '../../src/chaos/fault-manager.js';
import { LabTargetAdapter } from '../../src/targets/lab-target.js';
import { call, quickLabSpec, startTestEngine, waitFor, type TestEngine } from '../helpers/test-engine.js';

/** The failure API over real sockets, on a real engine (its own FaultManager, lab tests). */
let t: TestEngine;
let base: string;
let faults: FaultManager;

beforeAll(async () => {
  t = await startTestEngine();
  base = t.url;
  faults = t.engine.services.faults;
});

afterAll(async () => {
  await t.close();
});

async function startLong(): Promise<string> {
  const s = await call(base, 'POST', '/api/load-test/start', quickLabSpec({ name: 'fault-api', load: { model: 'open', stages: [{ rate: 50, duration: '60s' }] } }));
  expect(s.status).toBe(201);
  const id = s.body.id as string;
  await waitFor(async () => (faults.attached(id) ? true : undefined), 30_000);
  return id;
}

describe('failure API', () => {
  it('refuses an unknown pod and out-of-range values with 400, every problem listed, and changes nothing', async () => {
    const id = await startLong();
    const unknown = await call(base, 'POST', '/api/failure/inject', { testId: id, type: 'partition', pods: ['pod-1', 'pod-9'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'invalid_input', details: [{ path: 'pods.1', message: expect.stringContaining('no pod "pod-9"') }] });
    const bad = await call(base, 'POST', '/api/failure/inject', {
      testId: id,
      type: 'latency',
      delay: '2m',
      fraction: 1.5,
      duration: '5ms',
      pods: ['pod-1'],
      count: 1,
      colour: 'red',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['colour', 'count', 'delay', 'duration', 'fraction']);
    expect((await call(base, 'POST', '/api/failure/inject', { testId: id, type: 'errors', rate: 2 })).status).toBe(400);
    expect((await call(base, 'POST', '/api/failure/inject', { testId: id, type: 'earthquake' })).status).toBe(400);
    // nothing changed: no fault listed or recorded, every pod up and in rotation
    expect((await call(base, 'GET', `/api/failures?testId=${id}`)).body.faults).toEqual([]);
    const lab = (t.engine.services.runs.get(id)!.openedTarget as LabTargetAdapter).lab;
    expect(lab.stats().map((p) => [p.up, p.healthy])).toEqual([[true, true], [true, true], [true, true]]);
    expect(t.engine.services.store.events(id)).toEqual([]);
    await call(base, 'POST', `/api/load-test/stop/${id}`);
  }, 60_000);

  it('injects, lists and removes; 404 for an unknown or finished test; a test stop rolls back what is left', async () => {
    const id = await startLong();
    expect((await call(base, 'POST', '/api/failure/inject', { testId: 'nope', type: 'latency' })).status).toBe(404);
    const made = await call(base, 'POST', '/api/failure/inject', { testId: id, type: 'errors', pods: ['pod-2'], severity: 'high' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ testId: id, type: 'errors', pods: ['pod-2'], params: { rate: 0.5, status: 503 }, source: 'api', state: 'active' });
    const overlap = await call(base, 'POST', '/api/failure/inject', { testId: id, type: 'errors', pods: ['pod-2'] });
    expect(overlap.status).toBe(409);
    const kept = await call(base, 'POST', '/api/failure/inject', { testId: id, type: 'latency', count: 1, duration: '10m' });
    expect(kept.status).toBe(201);
    const listed = await call(base, 'GET', `/api/failures?testId=${id}&state=active`);
    expect(listed.body.faults.map((f: { id: string }) => f.id)).toEqual([made.body.id, kept.body.id]);
    const removed = await call(base, 'DELETE', `/api/failure/${made.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ state: 'ended', endReason: 'removed' });
    expect((await call(base, 'DELETE', `/api/failure/${made.body.id}`)).body).toEqual(removed.body);
    expect((await call(base, 'DELETE', '/api/failure/nope')).status).toBe(404);

    expect((await call(base, 'POST', `/api/load-test/stop/${id}`)).status).toBe(200);
    const result = await waitFor(async () => {
      const r = await call(base, 'GET', `/api/results/${id}`);
      return r.body.status === 'stopped' ? r.body : undefined;
    }, 30_000);
    expect(result.faults.map((f: { type: string; endReason: string }) => [f.type, f.endReason])).toEqual([
      ['errors', 'removed'],
      ['latency', 'test-stopped'],
    ]);
    expect((await call(base, 'GET', '/api/failures?state=active')).body.faults).toEqual([]);
    expect((await call(base, 'POST', '/api/failure/inject', { testId: id, type: 'latency' })).status).toBe(404);
    const doc = await call(base, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/failure/inject', '/api/failures', '/api/failure/{id}']));
  }, 60_000);
});
