import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { call, quickLabSpec, startTestEngine, waitFor, type TestEngine } from '../helpers/test-engine.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ MAX_CONCURRENT_TESTS: '1', MAX_RATE: '1000', MAX_DURATION: '30s' });
});
afterAll(async () => {
  await t.close();
});

describe('per-test and global caps', () => {
  it('a second test while the cap is reached gets 429; once the first stops, it starts', async () => {
    const first = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', stages: [{ rate: 50, duration: '20s' }] } }));
    expect(first.status).toBe(201);
    const second = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec());
    expect(second.status).toBe(429);
    expect(second.body.error.code).toBe('too_many_tests');
    await call(t.url, 'POST', `/api/load-test/stop/${first.body.id}`);
    await waitFor(async () => ((await call(t.url, 'GET', '/health')).body.runningTests === 0 ? true : undefined));
    const third = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', stages: [{ rate: 20, duration: '1s' }] } }));
    expect(third.status).toBe(201);
  }, 40_000);

  it('the engine caps (rate, duration) are reported with every problem and nothing starts', async () => {
    const before = (await call(t.url, 'GET', '/api/results')).body.total as number;
    const r = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', stages: [{ rate: 5000, duration: '20s' }, { rate: 10, duration: '20s' }] } }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('limit_exceeded');
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['load.stages.0.rate', 'load.stages']);
    expect((await call(t.url, 'GET', '/api/results')).body.total).toBe(before);
  });
});
