import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildOpenApi } from '../../src/api/openapi.js';
import { simulateRoutes } from '../../src/api/routes/simulate.js';
import type { Services } from '../../src/api/services.js';
import { simulateCommand } from '../../src/cli/simulate-command.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveRoutes, type RouteApp } from '../helpers/route-app.js';
import { call } from '../helpers/test-engine.js';

let app: RouteApp;
beforeAll(async () => void (app = await serveRoutes(simulateRoutes, { ENGINE_TOKEN: 'sim-token' })));
afterAll(() => app.close());

const post = (body: unknown, token = 'sim-token', query = '') => call(app.url, 'POST', `/api/simulate${query}`, body, { authorization: `Bearer ${token}` }, 20_000);

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

  it('a TestSpec body (it has "target") answers exactly as `scale simulate --spec` with that file', async () => {
    const spec = {
      name: 'ka',
      target: { kind: 'lab', pods: 4, policy: 'least-connections', mode: 'l4', podBehaviour: [{ latency: 'exp:4ms', concurrency: 8 }] },
      load: { model: 'open', rate: 300, duration: '5s' },
      connections: { maxConnections: 3 },
      seed: 5,
    };
    const dir = mkdtempSync(join(tmpdir(), 'scale-simroute-'));
    try {
      const file = join(dir, 'spec.json');
      writeFileSync(file, JSON.stringify(spec));
      let text = '';
      await simulateCommand({ spec: file, json: true, balancers: '2' }, [], { out: (t) => void (text += t), colour: false });
      const cli = JSON.parse(text);
      const api = await post(spec, 'sim-token', '?balancers=2');
      expect(api.status).toBe(200);
      const strip = (r: Record<string, any>) => ({ ...r, simulatedRequestsPerSecond: 0, simulation: { ...r.simulation, wallSeconds: 0 } });
      expect(strip(api.body)).toEqual(strip(cli));
      expect(api.body.spec.load).toEqual({ model: 'open', stages: [{ rate: 300, duration: '5s', ramp: false }] });
      expect(api.body.simulation).toMatchObject({ balancers: 2, mode: 'l4' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a TestSpec body is validated as a TestSpec; balancers in the query only go with one', async () => {
    const bad = await post({ target: { kind: 'lab', pods: 99 }, load: { model: 'open', rate: 10, stages: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['load.rate', 'load.stages', 'target.pods']);
    const url = await post({ target: { kind: 'url', url: 'http://127.0.0.1:1/' } });
    expect(url.status).toBe(400);
    expect(url.body.error.details[0].path).toBe('target.kind');
    const mixed = await post({ pods: 3, requests: 100 }, 'sim-token', '?balancers=2');
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details).toEqual([{ path: 'balancers', message: 'only with a TestSpec body; a simulation spec sets it in the body' }]);
  });

  it('is in the OpenAPI document with both body shapes', () => {
    const doc = buildOpenApi(simulateRoutes({} as Services), { version: 'test' }) as { paths: Record<string, any> };
    const op = doc.paths['/api/simulate'].post;
    const body = op.requestBody.content['application/json'].schema;
    expect(body.description).toMatch(/"target" field is a TestSpec/);
    const shapes = body.anyOf ?? body.oneOf;
    expect(shapes.map((s: { title: string }) => s.title)).toEqual(['TestSpec', 'SimulationSpec']);
    expect(shapes[1].properties.policy).toBeDefined();
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['balancers', 'spread']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400']));
  });
});
