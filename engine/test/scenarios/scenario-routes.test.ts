import { afterEach, describe, expect, it } from '@jest/globals';
import { call } from '../helpers/test-engine.js';
import { scenarioRoutes } from '../../src/api/routes/scenarios.js';
import { serveRoutes } from '../helpers/route-app.js';
import { startOpenAiFixture, type OpenAiFixture } from '../helpers/openai-fixture.js';

/**
 * The scenario routes through the real express app (validation, auth, error envelope, OpenAPI),
 * mounted alone: they use only the configuration and the logger of the services.
 */
let app: { url: string; close(): Promise<void> } | undefined;
let fixture: OpenAiFixture | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fixture?.close();
  fixture = undefined;
});

async function serve(env: Record<string, string> = {}): Promise<string> {
  app = await serveRoutes(scenarioRoutes, env);
  return app.url;
}

describe('scenario routes', () => {
  it('GET /api/scenarios lists the library with parameters', async () => {
    const url = await serve();
    const r = await call(url, 'GET', '/api/scenarios');
    expect(r.status).toBe(200);
    expect(r.body.scenarios).toHaveLength(10);
    const spike = r.body.scenarios.find((x: { name: string }) => x.name === 'spike');
    expect(spike.parameters.map((p: { name: string }) => p.name)).toEqual(['base', 'peak', 'before', 'spike', 'after']);
    expect(spike.example.load.model).toBe('open');
  });

  it('POST /api/scenarios/{name}/spec builds a spec, lists every bad parameter, 404s an unknown name', async () => {
    const url = await serve();
    const ok = await call(url, 'POST', '/api/scenarios/spike/spec', { params: { peak: '800', before: '5s' } });
    expect(ok.status).toBe(200);
    expect(ok.body.spec.load.stages.map((s: { rate: number }) => s.rate)).toEqual([200, 800, 200]);
    const bad = await call(url, 'POST', '/api/scenarios/spike/spec', { params: { peak: 'lots', spike: '1h' }, base: { target: { kind: 'lab', pods: 0 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_input');
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['params.peak', 'params.spike', 'target.pods']);
    const badBase = await call(url, 'POST', '/api/scenarios/spike/spec', { base: { target: { kind: 'lab', pods: 0 } } });
    expect(badBase.body.error.details.map((d: { path: string }) => d.path)).toEqual(['target.pods']);
    expect((await call(url, 'POST', '/api/scenarios/tsunami/spec', {})).status).toBe(404);
  });

  it('POST /api/scenario/generate answers with the built-in generator without a key', async () => {
    const url = await serve();
    const r = await call(url, 'POST', '/api/scenario/generate', { type: 'Gradual Ramp', target: { kind: 'lab', pods: 3 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ source: 'builtin', type: 'gradual-ramp', adjustments: [] });
    expect(r.body.model).toBeUndefined();
    expect(r.body.spec.target.pods).toBe(3);
    const bad = await call(url, 'POST', '/api/scenario/generate', { type: 'tsunami', target: { kind: 'ftp' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['target.kind', 'type']);
  });

  it('POST /api/scenario/generate uses the configured LLM, clamps to the engine caps, and reports LLM failures', async () => {
    fixture = await startOpenAiFixture([
      { answer: { rationale: 'ramp it', spec: { load: { model: 'open', stages: [{ rate: 9000, duration: '20s', ramp: true }] } } }, model: 'fixture-large' },
      { answer: 'no JSON here' },
    ]);
    const url = await serve({ OPENAI_API_KEY: 'k-123', OPENAI_BASE_URL: fixture.baseUrl, OPENAI_MODEL: 'fixture-large', MAX_RATE: '1000' });
    const r = await call(url, 'POST', '/api/scenario/generate', { type: 'gradual-ramp', description: 'ramp to 9000' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ source: 'llm', model: 'fixture-large', rationale: 'ramp it' });
    expect(r.body.spec.load.stages[0].rate).toBe(1000);
    expect(r.body.adjustments).toEqual([{ path: 'load.stages.0.rate', from: 9000, to: 1000, reason: "above this engine's limit" }]);
    expect(fixture.requests[0].headers.authorization).toBe('Bearer k-123');

    const bad = await call(url, 'POST', '/api/scenario/generate', { type: 'spike' });
    expect(bad.status).toBe(502); // the LLM answered badly: a bad gateway, not an engine fault
    expect(bad.body.error.message).toMatch(/not valid JSON/);
    expect(bad.body.error.details[0].message).toMatch(/^malformed/);
    expect(JSON.stringify(bad.body)).not.toContain('k-123');
  });

  it('needs the engine token when one is set, and is described in the OpenAPI document', async () => {
    const url = await serve({ ENGINE_TOKEN: 'secret' });
    expect((await call(url, 'GET', '/api/scenarios')).status).toBe(401);
    expect((await call(url, 'GET', '/api/scenarios', undefined, { authorization: 'Bearer secret' })).status).toBe(200);
    const doc = await call(url, 'GET', '/openapi.json');
    // the live socket is described in every document: the engine always serves it beside its routes
    expect(Object.keys(doc.body.paths)).toEqual(['/api/scenarios', '/api/scenarios/{name}/spec', '/api/scenario/generate', '/ws/metrics']);
    expect(doc.body.paths['/api/scenario/generate'].post.requestBody.content['application/json'].schema.properties.type).toBeDefined();
  });
});
