import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { call, startTestEngine, waitFor, type TestEngine } from '../helpers/test-engine.js';

const TOKEN = 'alerts-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ ENGINE_TOKEN: TOKEN, MAX_BODY_BYTES: '16384' });
});
afterAll(async () => {
  await t.close();
});

/** A payload as Alertmanager 0.25 sends it (field for field). */
function payload(alerts: Array<Record<string, unknown>>, status = 'firing'): Record<string, unknown> {
  return {
    receiver: 'scale-engine',
    status,
    alerts,
    groupLabels: { alertname: 'ScaleImbalance' },
    commonLabels: { alertname: 'ScaleImbalance', severity: 'warning' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    version: '4',
    groupKey: '{}:{alertname="ScaleImbalance"}',
    truncatedAlerts: 0,
  };
}

function amAlert(test: string, o: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'firing',
    labels: { alertname: 'ScaleImbalance', severity: 'warning', test },
    annotations: { summary: `Load is imbalanced in ${test}`, description: 'score 0.400', runbook_url: 'README.md#scaleimbalance' },
    startsAt: '2030-01-01T10:00:00.123456789+02:00',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=scale_imbalance',
    fingerprint: '0123456789abcdef',
    ...o,
  };
}

const post = (body: unknown, headers: Record<string, string> = auth) => call(t.url, 'POST', '/api/alerts', body, headers);
const list = async () => (await call(t.url, 'GET', '/api/alerts', undefined, auth)).body as { alerts: Array<Record<string, any>>; firing: number; resolved: number };

describe('POST /api/alerts (Alertmanager webhook)', () => {
  it('keeps a firing alert, shows it in GET /api/alerts and GET /api/metrics, streams it, then records its end', async () => {
    const messages: Array<Record<string, any>> = [];
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/ws/metrics`, { headers: auth });
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    await new Promise((r, j) => ws.once('open', r).once('error', j));

    const r = await post(payload([amAlert('l4/1a2b3c4d')]));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ received: 1, firing: 1, resolved: 0, ignored: 0, evicted: 0 });

    const listed = await list();
    expect(listed.firing).toBe(1);
    expect(listed.alerts[0]).toMatchObject({
      fingerprint: '0123456789abcdef',
      name: 'ScaleImbalance',
      status: 'firing',
      labels: { test: 'l4/1a2b3c4d', severity: 'warning' },
      annotations: { description: 'score 0.400' },
      startsAt: '2030-01-01T10:00:00.123456789+02:00',
    });
    const metrics = await call(t.url, 'GET', '/api/metrics', undefined, auth);
    expect(metrics.body.alerts.map((a: { name: string }) => a.name)).toEqual(['ScaleImbalance']);

    const fired = await waitFor(async () => messages.find((m) => m.type === 'alert'), 5000);
    expect(fired).toMatchObject({ type: 'alert', kind: 'firing', alert: { name: 'ScaleImbalance', labels: { test: 'l4/1a2b3c4d' } } });

    // A client connecting now gets the firing alert in its snapshot.
    const late = new WebSocket(`${t.url.replace('http', 'ws')}/ws/metrics`, { headers: auth });
    const snapshot = await new Promise<Record<string, any>>((resolve, reject) => late.once('message', (d) => resolve(JSON.parse(String(d)))).once('error', reject));
    late.close();
    expect(snapshot).toMatchObject({ type: 'snapshot', alerts: [{ name: 'ScaleImbalance' }] });

    const resolved = await post(payload([amAlert('l4/1a2b3c4d', { status: 'resolved', endsAt: '2030-01-01T08:05:00Z' })], 'resolved'));
    expect(resolved.body.resolved).toBe(1);
    const after = await list();
    expect(after).toMatchObject({ firing: 0, resolved: 1 });
    expect(after.alerts[0]).toMatchObject({ status: 'resolved', endsAt: '2030-01-01T08:05:00Z' });
    await waitFor(async () => messages.find((m) => m.type === 'alert' && m.kind === 'resolved'), 5000);
    ws.close();

    const filtered = await call(t.url, 'GET', '/api/alerts?status=firing', undefined, auth);
    expect(filtered.body.alerts).toEqual([]);
    const byTest = await call(t.url, 'GET', `/api/alerts?test=${encodeURIComponent('l4/1a2b3c4d')}`, undefined, auth);
    expect(byTest.body.alerts).toHaveLength(1);
  });

  it('is described in /openapi.json', async () => {
    const doc = (await call(t.url, 'GET', '/openapi.json')).body;
    expect(doc.paths['/api/alerts'].post.requestBody.content['application/json'].schema.properties.alerts).toBeDefined();
    expect(doc.paths['/api/alerts'].get.responses['200']).toBeDefined();
    expect(doc.paths['/api/alerts'].post.responses['401']).toBeDefined();
  });
});

describe('bad alert deliveries get a 4xx envelope and change nothing', () => {
  const valid = () => payload([amAlert('bad/00000000', { fingerprint: 'fedcba9876543210' })]);
  const withAlert = (o: Record<string, unknown>) => payload([amAlert('bad/00000000', o)]);
  const CASES: Array<[string, () => Promise<{ status: number; body: any }>, number, string[]]> = [
    ['no token', () => post(valid(), {}), 401, []],
    ['wrong token', () => post(valid(), { authorization: 'Bearer nope' }), 401, []],
    ['malformed JSON', () => post('{"version": "4", "alerts": [', auth), 400, []],
    ['not JSON', () => post('version=4', { ...auth, 'content-type': 'text/plain' }), 400, []],
    ['oversized body', () => post(payload(Array.from({ length: 40 }, (_, i) => amAlert('big', { fingerprint: i.toString(16), annotations: { description: 'x'.repeat(500) } }))), auth), 413, []],
    ['unknown version', () => post({ ...valid(), version: '3' }), 400, ['version']],
    ['no alerts', () => post({ ...valid(), alerts: [] }), 400, ['alerts']],
    ['missing envelope fields', () => post({ version: '4', alerts: valid().alerts }), 400, ['groupKey', 'status', 'receiver', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL']],
    [
      'every problem of an alert at once',
      () => post(withAlert({ status: 'pending', labels: { severity: 'x' }, startsAt: 'yesterday', endsAt: 12, fingerprint: 'XYZ' })),
      400,
      ['alerts.0.status', 'alerts.0.labels', 'alerts.0.startsAt', 'alerts.0.endsAt', 'alerts.0.fingerprint'],
    ],
    ['label value not a string', () => post(withAlert({ labels: { alertname: 'X', pods: 3 } })), 400, ['alerts.0.labels.pods']],
    ['too many labels', () => post(withAlert({ labels: Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`l${i}`, 'v']).concat([['alertname', 'X']])) })), 400, ['alerts.0.labels']],
  ];

  it.each(CASES)('%s', async (_what, send, status, paths) => {
    const before = await list();
    const r = await send();
    expect(r.status).toBe(status);
    expect(r.body.error).toEqual({ code: expect.any(String), message: expect.any(String), details: expect.any(Array) });
    for (const p of paths) expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(p);
    expect(await list()).toEqual(before);
  });

  it('a bad filter on GET /api/alerts is a 400 naming it', async () => {
    const r = await call(t.url, 'GET', '/api/alerts?status=pending&colour=red', undefined, auth);
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['colour', 'status']);
  });
});
