import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LIMITS } from '../../src/spec/limits.js';
import type { RunDeps } from '../../src/runs/test-run.js';
import { ScriptedLoad, scriptedReport } from '../helpers/scripted-load.js';
import { call, quickLabSpec, startTestEngine, waitFor, type TestEngine } from '../helpers/test-engine.js';

/**
 * The API's side of the contract: the open-model shorthand, conflicts and unrunnable specs
 * refused with 400 and every problem listed (nothing started), caps named by the field the body
 * used, the concurrent-test limit under simultaneous starts, a finished test's real elapsed time.
 */
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ MAX_RATE: '1000' });
});
afterAll(async () => {
  await t.close();
});

const lab = (target: Record<string, unknown>) => quickLabSpec({ target: { kind: 'lab', ...target } });

/** [what, body, every problem's path] */
const REFUSED: Array<[string, unknown, string[]]> = [
  ['more pods than the lab runs (it used to start and fail)', lab({ pods: LIMITS.maxPods + 1 }), ['target.pods']],
  ['a service time the lab refuses', lab({ podBehaviour: [{ latency: 'exp:90s' }] }), ['target.podBehaviour.0.latency']],
  ['choices under round-robin', lab({ policy: 'round-robin', policyOptions: { choices: 3 } }), ['target.policyOptions.choices']],
  ['unequal weights under random', lab({ pods: 2, policy: 'random', weights: [3, 1] }), ['target.weights']],
  ['recycling without keep-alive', quickLabSpec({ connections: { keepAlive: false, requestsPerConnection: 9 } }), ['connections.requestsPerConnection']],
  ['more threads than connections', quickLabSpec({ threads: 3, connections: { maxConnections: 2 } }), ['threads']],
  ['stages and the shorthand together', quickLabSpec({ load: { model: 'open', rate: 5, stages: [{ rate: 5, duration: '2s' }] } }), ['load.rate']],
  ['a header the client owns', quickLabSpec({ request: { headers: { 'Transfer-Encoding': 'chunked' } } }), ['request.headers.Transfer-Encoding']],
  [
    'all of them at once',
    quickLabSpec({ target: { kind: 'lab', pods: 40, policy: 'random', policyOptions: { decay: '1s' } }, threads: 9, connections: { keepAlive: false, requestsPerConnection: 1, maxConnections: 4 } }),
    ['connections.requestsPerConnection', 'target.pods', 'target.policyOptions.decay', 'threads', 'threads'],
  ],
];

describe('POST /api/load-test/start refuses what cannot run: 400, every problem, nothing started', () => {
  it.each(REFUSED)('%s', async (_what, body, paths) => {
    const r = await call(t.url, 'POST', '/api/load-test/start', body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_input');
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(paths);
    expect((await call(t.url, 'GET', '/health')).body.runningTests).toBe(0);
    expect((await call(t.url, 'GET', '/api/results')).body.total).toBe(0);
  });

  it('an engine cap on a shorthand load names load.rate, as the body wrote it', async () => {
    const r = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', rate: 5000, duration: '2s' } }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('limit_exceeded');
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toEqual(['load.rate']);
  });

  it('the OpenAPI document shows the shorthand beside stages', async () => {
    const doc = (await call(t.url, 'GET', '/openapi.json')).body;
    const body = doc.paths['/api/load-test/start'].post.requestBody.content['application/json'].schema;
    const open = body.properties.load.oneOf.find((s: { properties: { model: { enum: string[] } } }) => s.properties.model.enum[0] === 'open');
    expect(Object.keys(open.properties).sort()).toEqual(['duration', 'model', 'rate', 'stages', 'workers']);
    expect(open.properties.rate.maximum).toBe(LIMITS.maxRate);
    expect(body.properties.target.oneOf.find((s: { properties: { kind: { enum: string[] } } }) => s.properties.kind.enum[0] === 'lab').properties.pods.maximum).toBe(LIMITS.maxPods);
  });
});

describe('lifecycle through the API', () => {
  it('a shorthand spec runs, and a finished test reports its real elapsed time', async () => {
    const started = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', rate: 50, duration: '1s' } }));
    expect(started.status).toBe(201);
    const done = await waitFor(async () => {
      const s = await call(t.url, 'GET', `/api/load-test/status/${started.body.id}`);
      return s.body.status === 'finished' ? s.body : undefined;
    });
    expect(done.elapsed).toBeGreaterThanOrEqual(0.9);
    expect(done.progress).toBe(1);
    const result = (await call(t.url, 'GET', `/api/results/${started.body.id}`)).body;
    expect(result.spec.load).toEqual({ model: 'open', stages: [{ rate: 50, duration: '1s', ramp: false }] });
  }, 30_000);

  it('the concurrent-test limit holds when several starts arrive at once', async () => {
    // A preflight that takes a while, as a DNS lookup of a URL target does: every start is in it together.
    const loads: ScriptedLoad[] = [];
    const deps: RunDeps = {
      openTarget: async () => ({ kind: 'lab', url: 'http://127.0.0.1:1/', podHeader: 'x-scale-pod', pods: async () => [], close: async () => undefined }),
      preflight: () => new Promise((r) => setTimeout(r, 100)),
      startLoad: () => {
        const l = new ScriptedLoad();
        loads.push(l);
        return l;
      },
    };
    const e = await startTestEngine({ MAX_CONCURRENT_TESTS: '2' }, deps);
    try {
      const answers = await Promise.all(Array.from({ length: 6 }, () => call(e.url, 'POST', '/api/load-test/start', quickLabSpec())));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 429, 429, 429, 429]);
      expect(loads).toHaveLength(2);
      for (const l of loads) l.finish(scriptedReport(1, {}));
    } finally {
      await e.close();
    }
  });
});
