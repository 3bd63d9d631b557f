import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { compareRoutes } from '../../src/api/routes/compare.js';
import { compareCandidates, comparePolicies } from '../../src/sim/compare.js';
import { planSimulation } from '../../src/sim/plan-simulation.js';
import { SimSpecSchema } from '../../src/sim/sim-spec.js';
import { planFromTestSpec } from '../../src/sim/plan-test-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { serveRoutes, type RouteApp } from '../helpers/route-app.js';
import { call } from '../helpers/test-engine.js';

let app: RouteApp;
beforeAll(async () => void (app = await serveRoutes(compareRoutes)));
afterAll(() => app.close());

const post = (body: unknown) => call(app.url, 'POST', '/api/compare', body, {}, 20_000);

// One pod four times slower: least-connections spares it, so utilisation balance ranks it above round-robin.
const spec = { pods: 4, podConcurrency: 2, podBehaviour: [{ pods: ['pod-2'], speed: 0.25 }], load: { model: 'open', load: 0.7 }, requests: 20_000, seed: 3 };

describe('POST /api/compare', () => {
  it('ranks the policies as scale compare does (same rows as the library, same seed)', async () => {
    const r = await post({ spec, policies: ['round-robin', 'least-connections', 'random'], rankBy: 'utilisation' });
    expect(r.status).toBe(200);
    expect(r.body.rankBy).toBe('utilisation');
    expect(r.body.rows.map((x: { rank: number }) => x.rank)).toEqual([1, 2, 3]);
    const direct = comparePolicies(planSimulation(SimSpecSchema.parse(spec)), compareCandidates(['round-robin', 'least-connections', 'random']), 'utilisation');
    expect(r.body.rows.map((x: { label: string }) => x.label)).toEqual(direct.map((x) => x.label));
    expect(r.body.rows.map((x: { score: number }) => x.score)).toEqual(direct.map((x) => x.score));
    const lc = r.body.rows.find((x: { policy: string }) => x.policy === 'least-connections');
    const rr = r.body.rows.find((x: { policy: string }) => x.policy === 'round-robin');
    expect(lc.rank).toBeLessThan(rr.rank);
  });

  it('lists every bad field at once and refuses a comparison over the request cap', async () => {
    const bad = await post({ spec: { pods: 0 }, policies: ['no-such-policy'], rankBy: 'speed' });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['spec.pods', 'policies.0', 'rankBy']));
    const big = await post({ spec: { ...spec, requests: 2_000_000 } });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('limit_exceeded');
  });

  it('takes a lab TestSpec as its workload too (a spec with "target"), ranked as scale compare --spec ranks it', async () => {
    const testSpec = {
      target: { kind: 'lab', pods: 4, podBehaviour: [{ latency: 'exp:4ms', concurrency: 2 }, { pods: ['pod-2'], latency: 'exp:16ms' }] },
      load: { model: 'open', rate: 600, duration: '10s' },
      seed: 3,
    };
    const r = await post({ spec: testSpec, policies: ['round-robin', 'least-connections'], rankBy: 'utilisation' });
    expect(r.status).toBe(200);
    const direct = comparePolicies(planFromTestSpec(parseTestSpec(testSpec)), compareCandidates(['round-robin', 'least-connections']), 'utilisation');
    expect(r.body.rows.map((x: { label: string; score: number }) => [x.label, x.score])).toEqual(direct.map((x) => [x.label, x.score]));
    const bad = await post({ spec: { target: { kind: 'lab', pods: 99 } } });
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['spec.target.pods']);
  });

  it("the workload's weights go to the weighted candidates: a comparison is not refused for its placeholder policy", async () => {
    const r = await post({ spec: { pods: 2, podConcurrency: 4, weights: [3, 1], load: { model: 'open', rate: 200 }, requests: 4000 }, policies: ['round-robin', 'weighted-round-robin'] });
    expect(r.status).toBe(200);
    expect(r.body.rows).toHaveLength(2);
  });
});
