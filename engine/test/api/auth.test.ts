import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import WebSocket from 'ws';
import { call, quickLabSpec, startTestEngine, type TestEngine } from '../helpers/test-engine.js';

const TOKEN = 'engine-secret-token';
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ ENGINE_TOKEN: TOKEN, METRICS_TOKEN: 'metrics-secret' });
});
afterAll(async () => {
  await t.close();
});

// Three cells per row: jest-each passes `done` to a function with more parameters than cells.
const PROTECTED: Array<[string, string, unknown]> = [
  ['POST', '/api/load-test/start', quickLabSpec()],
  ['POST', '/api/load-test/stop/some-id', undefined],
  ['GET', '/api/load-test/status/some-id', undefined],
  ['GET', '/api/metrics', undefined],
  ['GET', '/api/results', undefined],
  ['GET', '/api/results/some-id', undefined],
];

describe('bearer auth (ENGINE_TOKEN, METRICS_TOKEN)', () => {
  it.each(PROTECTED)('%s %s: 401 without a token and with a wrong one', async (method, path, body) => {
    const variants: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }];
    for (const headers of variants) {
      const r = await call(t.url, method, path, body, headers);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('unauthorized');
    }
  });

  it('with the token the same routes pass auth (2xx, or 404 for unknown ids)', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await call(t.url, 'GET', '/api/metrics', undefined, auth)).status).toBe(200);
    expect((await call(t.url, 'GET', '/api/results', undefined, auth)).status).toBe(200);
    expect((await call(t.url, 'GET', '/api/results/some-id', undefined, auth)).status).toBe(404);
    const started = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', stages: [{ rate: 20, duration: '1s' }] } }), auth);
    expect(started.status).toBe(201);
    expect((await call(t.url, 'GET', `/api/load-test/status/${started.body.id}`, undefined, auth)).status).toBe(200);
    expect((await call(t.url, 'POST', `/api/load-test/stop/${started.body.id}`, undefined, auth)).status).toBeLessThan(500);
  });

  it('/health stays open; /metrics needs METRICS_TOKEN (not the engine token)', async () => {
    expect((await call(t.url, 'GET', '/health')).status).toBe(200);
    expect((await call(t.url, 'GET', '/metrics')).status).toBe(401);
    expect((await call(t.url, 'GET', '/metrics', undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(401);
    expect((await call(t.url, 'GET', '/metrics', undefined, { authorization: 'Bearer metrics-secret' })).status).toBe(200);
  });

  it('the WebSocket refuses a missing token and accepts the right one', async () => {
    const wsUrl = t.url.replace('http', 'ws') + '/ws/metrics';
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(401);
    const first = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
      ws.on('message', (d) => {
        ws.close();
        resolve(JSON.parse(String(d)).type);
      });
      ws.on('error', reject);
    });
    expect(first).toBe('snapshot');
  });

  it('the WebSocket takes the token as ?access_token= (browsers cannot set its headers), as the API description says', async () => {
    const wsUrl = t.url.replace('http', 'ws') + '/ws/metrics';
    const open = (url: string) =>
      new Promise<string | number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('message', (d) => {
          ws.close();
          resolve(JSON.parse(String(d)).type);
        });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => undefined);
      });
    expect(await open(`${wsUrl}?access_token=${encodeURIComponent(TOKEN)}`)).toBe('snapshot');
    expect(await open(`${wsUrl}?access_token=wrong`)).toBe(401);
    const doc = (await call(t.url, 'GET', '/openapi.json')).body;
    const live = doc.paths['/ws/metrics'].get;
    expect(live.parameters.map((x: { name: string; in: string }) => `${x.in}:${x.name}`)).toEqual(['query:access_token']);
    expect(live.description).toContain('?access_token=<token>');
  });
});
