import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app.js';
import { buildOpenApi } from '../../src/api/openapi.js';
import { simulateRoutes } from '../../src/api/routes/simulate.js';
import type { Services } from '../../src/api/services.js';
import { loadConfig } from '../../src/config/config.js';

/** The route on its own app (app.ts wires it into allRoutes): only config, version and log are read. */
const services = {
  config: loadConfig({ ENGINE_TOKEN: 'sim-token', LOG_LEVEL: 'silent' }),
  version: 'test',
  log: { error: () => undefined },
} as unknown as Services;

let server: Server;
let base = '';

beforeAll(async () => {
  const app = createApp(services, simulateRoutes(services));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function post(body: unknown, token = 'sim-token') {
  const res = await fetch(`${base}/api/simulate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('POST /api/simulate', () => {
  it('answers the Result of the simulated run plus simulated requests per second, deterministically', async () => {
    const spec = { policy: 'least-connections', pods: 6, podConcurrency: 2, podBehaviour: [{ pods: ['pod-2'], speed: 0.25 }], load: { model: 'open', load: 0.8 }, requests: 30_000, seed: 8 };
    const a = await post(spec);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ status: 'finished', totals: { requests: 30_000 }, simulation: { requests: 30_000, balancers: 1, mode: 'l7', seed: 8 } });
    expect(a.body.simulatedRequestsPerSecond).toBeGreaterThan(0);
    expect(a.body.pods).toHaveLength(6);
    expect(a.body.timeline.length).toBeGreaterThan(0);
    const b = await post(spec);
    expect({ ...b.body, simulation: 0, simulatedRequestsPerSecond: 0 }).toEqual({ ...a.body, simulation: 0, simulatedRequestsPerSecond: 0 });
  });

  it('400 with every problem listed for a bad spec; 400 limit_exceeded past 5,000,000 requests; 401 without the token', async () => {
    const bad = await post({ pods: -1, policy: 'nope', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['extra', 'pods', 'policy']);
    const big = await post({ load: { model: 'open', rate: 50_000 }, duration: '2m' });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('limit_exceeded');
    expect((await post({}, 'wrong')).status).toBe(401);
  });

  it('is in the OpenAPI document with its body schema', () => {
    const doc = buildOpenApi(simulateRoutes(services), { version: 'test' }) as { paths: Record<string, any> };
    const op = doc.paths['/api/simulate'].post;
    expect(op.requestBody.content['application/json'].schema.properties.policy).toBeDefined();
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400']));
  });
});
