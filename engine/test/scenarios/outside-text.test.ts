import { afterEach, describe, expect, it } from '@jest/globals';
import { scenarioRoutes } from '../../src/api/routes/scenarios.js';
import { MAX_LLM_ANSWER_BYTES } from '../../src/scenarios/llm-client.js';
import { scale } from '../helpers/scale-cli.js';
import { call } from '../helpers/test-engine.js';
import { serveRoutes } from '../helpers/route-app.js';
import { startOpenAiFixture, type FixtureStep, type OpenAiFixture } from '../helpers/openai-fixture.js';

/**
 * Text from an LLM is data, never control: a loopback OpenAI-compatible fixture answers with
 * terminal escape sequences and with a 30 MB body. The CLI prints no control character; the
 * engine refuses the oversized answer (and a 200 that is not JSON) with a clear error.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let fixture: OpenAiFixture | undefined;
let app: { url: string; close(): Promise<void> } | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  await fixture?.close();
  fixture = undefined;
});

/** Clears the screen, sets the window title, rings the bell, a one-byte CSI, a carriage return. */
const EVIL = '\u001b[2J\u001b[H\u001b]0;owned\u0007Spread the spike\u0007 evenly\u009b31m across\r pods';
const evilAnswer: FixtureStep = {
  model: 'model\u001b]0;title\u0007-7',
  answer: {
    rationale: EVIL,
    spec: { name: 'flash\u001b[31m-sale', load: { model: 'open', stages: [{ rate: 100, duration: '5s' }, { rate: 400, duration: '5s' }] } },
  },
};
const MB30: FixtureStep = { raw: 'x'.repeat(64 * 1024), repeat: 480, declareLength: true };

/** The real CLI against the fixture; resolves with its exit code and output. */
const cli = (args: string[], baseUrl: string) => scale(args, { env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseUrl, LOG_LEVEL: 'silent' }, timeoutMs: 45_000 });

async function engine(env: Record<string, string> = {}): Promise<string> {
  app = await serveRoutes(scenarioRoutes, env);
  return app.url;
}

describe('the CLI prints an LLM answer as data', () => {
  it('escape sequences in the rationale, the model name and the spec name never reach the terminal', async () => {
    fixture = await startOpenAiFixture([evilAnswer, evilAnswer]);
    const text = await cli(['scenarios', 'generate', '--type', 'spike'], fixture.baseUrl);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Spread the spike evenly');
    expect(text.stdout).not.toMatch(CONTROL);
    expect(text.stderr).not.toMatch(CONTROL);
    const json = await cli(['scenarios', 'generate', '--type', 'spike', '--json'], fixture.baseUrl);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(CONTROL);
    const answer = JSON.parse(json.stdout);
    // The engine keeps the words and drops the controls; the name was repaired and the repair listed.
    expect(answer.rationale).toBe('Spread the spike evenly across pods');
    expect(answer.model).toBe('model-7');
    expect(answer.spec.name).toBe('flash-sale');
    expect(answer.adjustments).toContainEqual({ path: 'name', from: 'flash\u001b[31m-sale', to: 'flash-sale', reason: 'control characters removed' });
  }, 60_000);

  it('a 30 MB answer is refused by the CLI with one clear message (exit 3)', async () => {
    fixture = await startOpenAiFixture([MB30]);
    const r = await cli(['scenarios', 'generate', '--type', 'spike'], fixture.baseUrl);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`sent an answer larger than ${MAX_LLM_ANSWER_BYTES.toLocaleString('en-US')} bytes (31,457,280 announced); it was not read`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  }, 60_000);
});

describe('the engine refuses what is not a sane answer (502)', () => {
  it.each([
    ['a 30 MB answer with its length announced', MB30, /larger than 1,048,576 bytes \(31,457,280 announced\); it was not read/],
    ['a 30 MB answer streamed without a length', { ...MB30, declareLength: false }, /larger than 1,048,576 bytes; it was not read/],
    ['a 200 that is an HTML page', { raw: '<html><body>Welcome to nginx!</body></html>', contentType: 'text/html' }, /answered 200 with a body that is not JSON \(text\/html\): "<html><body>Welcome to nginx!/],
    ['a 200 JSON that is not a chat completion', { raw: '{"status":"ok"}' }, /answered with JSON that is not a chat completion/],
  ] as Array<[string, FixtureStep, RegExp]>)('%s', async (_what, step, message) => {
    fixture = await startOpenAiFixture([step]);
    const url = await engine({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fixture.baseUrl });
    const started = Date.now();
    const r = await call(url, 'POST', '/api/scenario/generate', { type: 'spike' });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('upstream_error');
    expect(r.body.error.message).toMatch(message);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
