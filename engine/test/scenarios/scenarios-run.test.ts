import { afterEach, describe, expect, it } from '@jest/globals';
import { generateScenario } from '../../src/scenarios/generate.js';
import { scenarioSpec } from '../../src/scenarios/registry.js';
import { startOpenAiFixture, type OpenAiFixture } from '../helpers/openai-fixture.js';
import { runSpec } from '../helpers/run-spec.js';

/** Generated and library specs run end to end on the embedded lab (127.0.0.1 only). */
let fixture: OpenAiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('generated and library specs run', () => {
  it("an LLM's good answer runs on the lab", async () => {
    const spec = {
      name: 'llm-small',
      target: { kind: 'lab', pods: 3, podBehaviour: [{ latency: 'fixed:1ms' }] },
      load: { model: 'open', stages: [{ rate: 100, duration: '2s' }] },
    };
    fixture = await startOpenAiFixture([{ answer: { rationale: 'small and quick', spec } }]);
    const g = await generateScenario({ type: 'sustained' }, { apiKey: 'k', baseUrl: fixture.baseUrl, timeoutMs: 5000 });
    expect(g.source).toBe('llm');
    const r = await runSpec(g.spec);
    expect(r.status).toBe('finished');
    expect(r.totals.requests).toBeGreaterThan(150);
    expect(r.pods.map((p) => p.name).sort()).toEqual(['pod-1', 'pod-2', 'pod-3']);
    expect(r.pods.every((p) => p.requests > 30)).toBe(true);
  });

  it('a library scenario with faults runs: scale-up under keep-alive adds pods that get (almost) nothing', async () => {
    // 6 s after the scale-up: starting two pod threads took over 3 s on a loaded CI machine
    const spec = scenarioSpec('scale-up-under-keep-alive', { pods: '2', added: '2', at: '1s', duration: '7s', rate: '100', connections: '4' }, { target: { kind: 'lab', podBehaviour: [{ latency: 'fixed:1ms' }] } });
    const r = await runSpec(spec);
    expect(r.status).toBe('finished');
    expect(r.pods.map((p) => p.name).sort()).toEqual(['pod-1', 'pod-2', 'pod-3', 'pod-4']);
    // The point of the scenario: connections opened before the scale-up stay on the old pods.
    // An even spread would give them ~43% (half the pods for 6 of 7 s). While the pool reused the
    // most recently used connection, the others idled until their keep-alive timeout closed them
    // and reopened on the new pods (14% and 29% in CI runs, 37% under stress here); reused in turn
    // they stay open: 0-5% with both cores busy.
    const added = r.pods.filter((p) => p.name === 'pod-3' || p.name === 'pod-4').reduce((a, p) => a + p.requests, 0);
    expect(added / r.totals.requests).toBeLessThan(0.25);
    expect(r.balance.verdict).toBe('imbalanced');
    expect(r.faults?.map((f) => [f.type, f.pods])).toEqual([['scale-up', ['pod-3', 'pod-4']]]);
  });
});
