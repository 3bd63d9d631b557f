import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, quickLabSpec, startTestEngine, type TestEngine } from '../helpers/test-engine.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ MAX_BODY_BYTES: '4096', MAX_USERS: '500' });
});
afterAll(async () => {
  await t.close();
});

const start = (body: unknown) => ({ method: 'POST', path: '/api/load-test/start', body });
const lab = (target: Record<string, unknown>) => start(quickLabSpec({ target: { kind: 'lab', ...target } }));
const load = (l: Record<string, unknown>) => start(quickLabSpec({ load: l }));

/** [what, request, expected status, a path that must be among the details (optional)] */
const CASES: Array<[string, { method: string; path: string; body?: unknown; headers?: Record<string, string> }, number, string?]> = [
  ['bad JSON', start('{"name": '), 400],
  ['JSON array body', start([1, 2]), 400],
  ['JSON string body', start('"hello"'), 400],
  ['no body', { method: 'POST', path: '/api/load-test/start' }, 400],
  ['wrong content type', { method: 'POST', path: '/api/load-test/start', body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400],
  ['oversize body', start({ name: 'x', pad: 'y'.repeat(10_000) }), 413],
  ['unknown top-level field', start(quickLabSpec({ colour: 'blue' })), 400, 'colour'],
  ['unknown target field', lab({ replicas: 3 }), 400, 'target.replicas'],
  ['unknown target kind', start(quickLabSpec({ target: { kind: 'mainframe' } })), 400, 'target.kind'],
  ['pods as string', lab({ pods: 'five' }), 400, 'target.pods'],
  ['zero pods', lab({ pods: 0 }), 400, 'target.pods'],
  ['negative pods', lab({ pods: -3 }), 400, 'target.pods'],
  ['huge pods', lab({ pods: 1e9 }), 400, 'target.pods'],
  ['fractional pods', lab({ pods: 2.5 }), 400, 'target.pods'],
  ['unknown policy', lab({ policy: 'fastest-first' }), 400, 'target.policy'],
  ['bad mode', lab({ mode: 'l3' }), 400, 'target.mode'],
  ['weights length mismatch', lab({ pods: 3, weights: [1, 2] }), 400, 'target.weights'],
  ['negative weight', lab({ pods: 2, weights: [1, -1] }), 400, 'target.weights.1'],
  ['all-zero weights', lab({ pods: 2, weights: [0, 0] }), 400, 'target.weights'],
  ['bad latency distribution', lab({ podBehaviour: [{ latency: 'gaussian:5ms' }] }), 400, 'target.podBehaviour.0.latency'],
  ['error rate above 1', lab({ podBehaviour: [{ errorRate: 1.5 }] }), 400, 'target.podBehaviour.0.errorRate'],
  ['behaviour for an unknown pod', lab({ pods: 2, podBehaviour: [{ pods: ['pod-7'], latency: 'fixed:1ms' }] }), 400, 'target.podBehaviour.0.pods.0'],
  ['bad hash key', lab({ policyOptions: { hashKey: 'cookie:x' } }), 400, 'target.policyOptions.hashKey'],
  ['unknown load model', load({ model: 'chaotic' }), 400, 'load.model'],
  ['users as string', load({ model: 'closed', users: 'many' }), 400, 'load.users'],
  ['zero users', load({ model: 'closed', users: 0 }), 400, 'load.users'],
  ['users over the engine cap', load({ model: 'closed', users: 600, duration: '5s' }), 400, 'load.users'],
  ['users over the hard limit', load({ model: 'closed', users: 10_000_000 }), 400, 'load.users'],
  ['bad duration unit', load({ model: 'closed', duration: '10 fortnights' }), 400, 'load.duration'],
  ['duration too long', load({ model: 'closed', duration: '48h' }), 400, 'load.duration'],
  ['duration as number', load({ model: 'closed', duration: 10 }), 400, 'load.duration'],
  ['negative rate', load({ model: 'open', stages: [{ rate: -10, duration: '5s' }] }), 400, 'load.stages.0.rate'],
  ['huge rate', load({ model: 'open', stages: [{ rate: 1e12, duration: '5s' }] }), 400, 'load.stages.0.rate'],
  ['no stages', load({ model: 'open', stages: [] }), 400, 'load.stages'],
  ['stage missing duration', load({ model: 'open', stages: [{ rate: 10 }] }), 400, 'load.stages.0.duration'],
  ['zero max connections', start(quickLabSpec({ connections: { maxConnections: 0 } })), 400, 'connections.maxConnections'],
  ['keepAlive as string', start(quickLabSpec({ connections: { keepAlive: 'yes' } })), 400, 'connections.keepAlive'],
  ['threshold above 1', start(quickLabSpec({ thresholds: { balance: 2 } })), 400, 'thresholds.balance'],
  ['bad p99 threshold', start(quickLabSpec({ thresholds: { p99: 'fast' } })), 400, 'thresholds.p99'],
  ['max share ratio not above 1', start(quickLabSpec({ thresholds: { maxShareRatio: 0.9 } })), 400, 'thresholds.maxShareRatio'],
  ['max share ratio as string', start(quickLabSpec({ thresholds: { maxShareRatio: '2x' } })), 400, 'thresholds.maxShareRatio'],
  ['capacity length mismatch', start(quickLabSpec({ expect: { capacity: [1] } })), 400, 'expect.capacity'],
  ['request path without slash', start(quickLabSpec({ request: { path: 'x' } })), 400, 'request.path'],
  ['non-loopback url target', start(quickLabSpec({ target: { kind: 'url', url: 'http://10.1.2.3:8080/' } })), 403, 'target.url'],
  ['public url target', start(quickLabSpec({ target: { kind: 'url', url: 'http://93.184.216.34/' } })), 403, 'target.url'],
  ['non-http url', start(quickLabSpec({ target: { kind: 'url', url: 'file:///etc/passwd' } })), 400, 'target.url'],
  ['unknown test status', { method: 'GET', path: '/api/load-test/status/no-such-test' }, 404],
  ['unknown test stop', { method: 'POST', path: '/api/load-test/stop/no-such-test' }, 404],
  ['unknown result', { method: 'GET', path: '/api/results/no-such-test' }, 404],
  ['bad result format', { method: 'GET', path: '/api/results/x?format=xml' }, 400, 'format'],
  ['bad list limit', { method: 'GET', path: '/api/results?limit=-1' }, 400, 'limit'],
  ['huge list limit', { method: 'GET', path: '/api/results?limit=100000' }, 400, 'limit'],
  ['bad list status', { method: 'GET', path: '/api/results?status=exploded' }, 400, 'status'],
  ['bad since date', { method: 'GET', path: '/api/results?since=yesterday' }, 400, 'since'],
  ['unknown list parameter', { method: 'GET', path: '/api/results?sort=asc' }, 400, 'sort'],
  ['unknown route', { method: 'GET', path: '/api/nothing-here' }, 404],
  ['wrong method', { method: 'DELETE', path: '/api/load-test/start' }, 404],
];

describe('bad input: 4xx with the error envelope, the engine stays healthy, nothing is left behind', () => {
  it(`has at least 40 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  // Every row gets four cells: jest-each passes a `done` callback to a function with more
  // parameters than the row has cells.
  const rows = CASES.map(([what, req, status, detail]) => [what, req, status, detail ?? ''] as const);
  it.each(rows)('%s', async (_what, req, status, detailPath) => {
    const r = await call(t.url, req.method, req.path, req.body, req.headers);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } });
    if (detailPath) expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(detailPath);
  });

  it('lists every problem of one body at once', async () => {
    const r = await call(t.url, 'POST', '/api/load-test/start', { target: { kind: 'lab', pods: 0, policy: 'nope' }, load: { model: 'closed', users: -1 }, extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['extra', 'load.users', 'target.pods', 'target.policy']);
  });

  it('is still healthy with no test left running', async () => {
    const h = await call(t.url, 'GET', '/health');
    expect(h.status).toBe(200);
    expect(h.body.runningTests).toBe(0);
    const list = await call(t.url, 'GET', '/api/results');
    expect(list.body.total).toBe(0);
  });
});
