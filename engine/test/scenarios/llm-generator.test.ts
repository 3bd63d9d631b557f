import { afterEach, describe, expect, it } from '@jest/globals';
import { durationMs } from '../../src/core/duration.js';
import { generateScenario, LlmError, type GenerateOptions } from '../../src/scenarios/generate.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { startOpenAiFixture, type FixtureStep, type OpenAiFixture } from '../helpers/openai-fixture.js';

/** Every LLM test talks to the loopback fixture only (baseUrl is always the fixture's). */
let fixture: OpenAiFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function withFixture(script: FixtureStep[], extra: GenerateOptions = {}) {
  fixture = await startOpenAiFixture(script);
  const options: GenerateOptions = { apiKey: 'test-key', baseUrl: fixture.baseUrl, model: 'scale-test-model', timeoutMs: 5000, ...extra };
  return { fixture, options };
}

const goodSpec = {
  name: 'checkout-flash-sale',
  target: { kind: 'lab', pods: 5, policy: 'least-connections' },
  load: { model: 'open', stages: [{ rate: 200, duration: '10s' }, { rate: 1500, duration: '15s' }, { rate: 200, duration: '10s' }] },
  thresholds: { p99: '300ms' },
};

async function failure(p: Promise<unknown>): Promise<LlmError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

describe('LLM generation against a loopback OpenAI-compatible server', () => {
  it('a good answer gives a validated spec, source llm and the model name', async () => {
    const { fixture, options } = await withFixture([{ answer: { rationale: 'A flash sale: a 7x step.', spec: goodSpec }, model: 'scale-test-model-2025' }]);
    const g = await generateScenario({ type: 'spike', description: 'a flash sale on checkout' }, options);
    expect(g).toMatchObject({ source: 'llm', model: 'scale-test-model-2025', type: 'spike', rationale: 'A flash sale: a 7x step.', adjustments: [] });
    expect(g.spec).toEqual(parseTestSpec(goodSpec));

    // What was sent: the key, the model, structured output with a schema derived from the TestSpec.
    expect(fixture.requests).toHaveLength(1);
    const [req] = fixture.requests;
    expect(req.headers.authorization).toBe('Bearer test-key');
    expect(req.body.model).toBe('scale-test-model');
    expect(req.body.response_format.type).toBe('json_schema');
    const schema = req.body.response_format.json_schema.schema;
    expect(schema.required).toEqual(['rationale', 'spec']);
    expect(Object.keys(schema.properties.spec.properties)).toEqual(expect.arrayContaining(['name', 'target', 'load', 'connections', 'thresholds']));
    const system = req.body.messages[0].content as string;
    const user = req.body.messages[1].content as string;
    expect(system).toContain('Spike');
    expect(user).toContain('a flash sale on checkout');
  });

  it('accepts an answer fenced in markdown and a bare spec without the wrapper', async () => {
    const { options } = await withFixture([{ answer: '```json\n' + JSON.stringify({ rationale: 'r', spec: goodSpec }) + '\n```' }, { answer: goodSpec }]);
    expect((await generateScenario({ type: 'spike' }, options)).spec.name).toBe('checkout-flash-sale');
    const bare = await generateScenario({ type: 'spike' }, options);
    expect(bare).toMatchObject({ source: 'llm', rationale: '' });
  });

  it('malformed JSON is a clear error, not a spec', async () => {
    const { options } = await withFixture([{ answer: 'Sure! Here is your spec: {"load": {"model": "open",' }]);
    const err = await failure(generateScenario({ type: 'spike' }, options));
    expect(err.reason).toBe('malformed');
    expect(err.code).toBe('upstream_error');
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.details[0].message).toContain('Sure! Here is your spec');
  });

  it('an answer cut off at the token limit is malformed', async () => {
    const { options } = await withFixture([{ answer: '{"rationale": "x", "spec": {', finishReason: 'length' }]);
    expect((await failure(generateScenario({ type: 'spike' }, options))).reason).toBe('malformed');
  });

  it('out-of-range values are clamped and every adjustment listed', async () => {
    const wild = {
      ...goodSpec,
      target: { kind: 'lab', pods: 200, policy: 'round-robin' },
      load: { model: 'open', stages: [{ rate: 200, duration: '10s' }, { rate: 1_000_000, duration: '2h' }] },
      thresholds: { balance: 1.7 },
      sparkle: true,
    };
    const { options } = await withFixture([{ answer: { rationale: 'big', spec: wild } }], { limits: { maxUsers: 1000, maxRate: 5000, maxDurationMs: 600_000, maxPods: 20 } });
    const g = await generateScenario({ type: 'spike' }, options);
    expect(g.source).toBe('llm');
    expect(g.spec.target).toMatchObject({ kind: 'lab', pods: 20 });
    if (g.spec.load.model !== 'open') throw new Error('open expected');
    expect(g.spec.load.stages.map((s) => s.rate)).toEqual([200, 5000]);
    expect(g.spec.thresholds.balance).toBe(1);
    const paths = g.adjustments.map((a) => a.path);
    expect(paths).toEqual(expect.arrayContaining(['sparkle', 'target.pods', 'load.stages.1.rate', 'load.stages.1.duration', 'thresholds.balance']));
    expect(g.adjustments.find((a) => a.path === 'load.stages.1.rate')).toMatchObject({ from: 1_000_000, to: 50_000 });
    // The spec is valid and within the engine's caps: its total fits in 10 minutes.
    expect(parseTestSpec(g.spec)).toEqual(g.spec);
    expect(g.spec.load.stages.reduce((a, s) => a + durationMs(s.duration), 0)).toBeLessThanOrEqual(600_000);
  });

  it("imposes the request's target on the model's answer", async () => {
    const answer = { rationale: 'r', spec: { ...goodSpec, target: { kind: 'url', url: 'http://203.0.113.9/' } } };
    const { options } = await withFixture([{ answer }, { answer: { rationale: 'r', spec: { ...goodSpec, target: { kind: 'lab', pods: 9, podBehaviour: [{ pods: ['pod-2'], latency: 'exp:80ms' }] } } } }]);
    const a = await generateScenario({ type: 'spike' }, options);
    expect(a.spec.target.kind).toBe('lab');
    expect(a.adjustments[0]).toMatchObject({ path: 'target', reason: expect.stringContaining('no target was given') });
    const b = await generateScenario({ type: 'slow-pod', target: { kind: 'lab', pods: 3 } }, options);
    expect(b.spec.target).toMatchObject({ kind: 'lab', pods: 3, podBehaviour: [{ pods: ['pod-2'], latency: 'exp:80ms' }] });
    expect(b.adjustments).toContainEqual({ path: 'target.pods', from: 9, to: 3, reason: 'the request sets the target' });
  });

  it('an answer that clamping cannot fix is refused with every problem', async () => {
    const { options } = await withFixture([{ answer: { rationale: 'r', spec: { load: { model: 'burst', rate: 'lots' }, target: { kind: 'lab', policy: 'magic' } } } }]);
    const err = await failure(generateScenario({ type: 'spike' }, options));
    expect(err.reason).toBe('invalid_answer');
    expect(err.details.map((i) => i.path).sort()).toEqual(['load.model', 'target.policy']);
  });

  it('a timeout gives a timeout error', async () => {
    const { fixture, options } = await withFixture([{ hang: true }], { timeoutMs: 500 });
    const started = Date.now();
    const err = await failure(generateScenario({ type: 'spike' }, options));
    expect(err.reason).toBe('timeout');
    expect(err.message).toMatch(/did not answer within 500 ms/);
    // Not retried: a timeout costs one timeout.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(fixture.requests).toHaveLength(1);
  });

  it('a 429 is retried once and then succeeds', async () => {
    const { fixture, options } = await withFixture([{ status: 429, message: 'slow down', headers: { 'retry-after-ms': '50' } }, { answer: { rationale: 'r', spec: goodSpec } }]);
    const g = await generateScenario({ type: 'spike' }, options);
    expect(g.source).toBe('llm');
    expect(fixture.requests).toHaveLength(2);
    expect(fixture.requests[1].at - fixture.requests[0].at).toBeGreaterThanOrEqual(45);
  });

  it('a 429 twice is an error after exactly one retry', async () => {
    const { fixture, options } = await withFixture([
      { status: 429, headers: { 'retry-after-ms': '10' } },
      { status: 429, headers: { 'retry-after-ms': '10' } },
      { answer: { rationale: 'r', spec: goodSpec } },
    ]);
    const err = await failure(generateScenario({ type: 'spike' }, options));
    expect(err.reason).toBe('rate_limited');
    expect(fixture.requests).toHaveLength(2);
  });

  it('a 5xx is retried once; twice is an error', async () => {
    const { fixture, options } = await withFixture([{ status: 503, headers: { 'retry-after': '0' } }, { answer: { rationale: 'r', spec: goodSpec } }, { status: 500, headers: { 'retry-after-ms': '0' } }, { status: 502, headers: { 'retry-after-ms': '0' } }]);
    expect((await generateScenario({ type: 'spike' }, options)).source).toBe('llm');
    expect((await failure(generateScenario({ type: 'spike' }, options))).reason).toBe('unavailable');
    expect(fixture.requests).toHaveLength(4);
  });

  it('a refused key is an auth error, not retried, and the key is not in the message', async () => {
    const { fixture, options } = await withFixture([{ status: 401, message: 'Incorrect API key provided' }]);
    const err = await failure(generateScenario({ type: 'spike' }, options));
    expect(err.reason).toBe('auth');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('test-key');
    expect(fixture.requests).toHaveLength(1);
  });

  it('other refusals (unknown model) are reported with the server message', async () => {
    const { options } = await withFixture([{ status: 404, message: 'The model `nope` does not exist' }]);
    const err = await failure(generateScenario({ type: 'spike' }, options));
    expect(err.reason).toBe('rejected');
    expect(err.message).toContain('does not exist');
  });

  it('an unreachable server is reported as such', async () => {
    const { fixture, options } = await withFixture([]);
    await fixture.close();
    const err = await failure(generateScenario({ type: 'spike' }, options));
    expect(err.reason).toBe('unreachable');
  });
});
