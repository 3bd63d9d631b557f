import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { engineError, FAILURE_CASES, mockEngine, type EngineMock } from '../../test/engine-mock';
import { RUN_ID, SCENARIOS } from '../../test/fixtures';
import { fieldError, location, renderAt } from '../../test/render';
import LoadTestPage from './LoadTestPage';

const URL = '/a/scale-lbtester-app/load-test';
let engine: EngineMock;

beforeEach(() => {
  engine = mockEngine({
    'GET /api/scenarios': { scenarios: SCENARIOS },
    'POST /api/load-test/start': { id: RUN_ID, status: 'starting' },
  });
});

const start = () => fireEvent.click(screen.getByRole('button', { name: 'Start Test' }));

describe('Load test page', () => {
  it('starts a test from the original controls and opens Live on it', async () => {
    renderAt(<LoadTestPage />, URL);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'checkout' } });
    fireEvent.change(screen.getByLabelText(/^Pods/, { selector: 'input' }), { target: { value: '7' } });
    start();
    await waitFor(() => expect(location()).toBe(`/a/scale-lbtester-app/live?test=${RUN_ID}`));
    const [call] = engine.callsTo('POST /api/load-test/start');
    // The original defaults: 100 users, 10 per second, 60 s; lab round-robin L7 with keep-alive.
    expect(call.body).toEqual({
      name: 'checkout',
      target: { kind: 'lab', pods: 7, policy: 'round-robin', mode: 'l7' },
      load: { model: 'closed', users: 100, spawnRate: 10, duration: '60s' },
      connections: { keepAlive: true },
      thresholds: { balance: 0.95 },
    });
  });

  it('sends a URL target and an arrival-rate load when those are chosen', async () => {
    renderAt(<LoadTestPage />, URL);
    fireEvent.click(screen.getByRole('radio', { name: 'URL' }));
    fireEvent.change(screen.getByLabelText(/^Target URL/), { target: { value: ' http://127.0.0.1:9000/ ' } });
    fireEvent.click(screen.getByRole('radio', { name: 'Arrival rate (open)' }));
    fireEvent.change(screen.getByLabelText('Arrival rate, requests per second'), { target: { value: '300' } });
    start();
    await waitFor(() => expect(engine.callsTo('POST /api/load-test/start')).toHaveLength(1));
    const body = engine.callsTo('POST /api/load-test/start')[0].body as Record<string, unknown>;
    expect(body.target).toEqual({ kind: 'url', url: 'http://127.0.0.1:9000/', podHeader: 'x-scale-pod' });
    expect(body.load).toEqual({ model: 'open', stages: [{ rate: 300, duration: '60s' }] });
  });

  it("shows the engine's 400 messages next to the fields they name, and the rest in the alert", async () => {
    engine.use({
      'POST /api/load-test/start': engineError(400, 'invalid_input', 'invalid input: 3 problems', [
        { path: 'thresholds.p99', message: 'not a duration: "fast"' },
        { path: 'load.users', message: 'must be at most 10000' },
        { path: 'faults.0.type', message: 'unknown fault type' },
      ]),
    });
    renderAt(<LoadTestPage />, URL);
    fireEvent.change(screen.getByLabelText(/^p99 latency/), { target: { value: 'fast' } });
    start();
    await screen.findByText('The engine refused the request (400)');
    expect(fieldError(screen.getByLabelText(/^p99 latency/))).toBe('not a duration: "fast"');
    expect(fieldError(document.getElementById('users')!)).toBe('must be at most 10000');
    expect(fieldError(screen.getByLabelText(/^Error rate/))).toBeNull();
    // The path no field shows is listed in the page's alert, the others are not repeated there.
    const list = screen.getByRole('list', { name: 'Problems reported by the engine' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual(['faults.0.type unknown fault type']);
    expect(location()).toBe(URL);
  });

  it("sends the max share ratio threshold, and shows the engine's problem with it next to the field", async () => {
    engine.use({
      'POST /api/load-test/start': engineError(400, 'invalid_input', 'invalid input: 1 problem', [
        {
          path: 'thresholds.maxShareRatio',
          message: 'above 1 (1.5: no pod may take more than 1.5× its expected share)',
        },
      ]),
    });
    renderAt(<LoadTestPage />, URL);
    const field = screen.getByLabelText(/^Max share ratio/);
    fireEvent.change(field, { target: { value: '0.9' } });
    start();
    await screen.findByText('The engine refused the request (400)');
    expect(engine.callsTo('POST /api/load-test/start')[0].body).toMatchObject({
      thresholds: { balance: 0.95, maxShareRatio: 0.9 },
    });
    expect(fieldError(field)).toMatch(/^above 1/);
    // emptied: no limit is sent
    fireEvent.change(field, { target: { value: '' } });
    start();
    await waitFor(() => expect(engine.callsTo('POST /api/load-test/start')).toHaveLength(2));
    expect(engine.callsTo('POST /api/load-test/start')[1].body).toMatchObject({ thresholds: { balance: 0.95 } });
    expect(
      (engine.callsTo('POST /api/load-test/start')[1].body as { thresholds: object }).thresholds
    ).not.toHaveProperty('maxShareRatio');
  });

  it.each(FAILURE_CASES)('shows "$title" when starting meets $name', async ({ reply, title }) => {
    engine.use({ 'POST /api/load-test/start': reply });
    renderAt(<LoadTestPage />, URL);
    start();
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(location()).toBe(URL);
  });

  it('says so when the engine is down while loading the scenario library', async () => {
    engine.use({ 'GET /api/scenarios': FAILURE_CASES[0].reply });
    renderAt(<LoadTestPage />, URL);
    expect(await screen.findByText('The Scale engine cannot be reached')).toBeInTheDocument();
    // The form stays usable: a custom test needs no library.
    expect(screen.getByRole('button', { name: 'Start Test' })).toBeEnabled();
  });

  it('with an empty scenario library offers the custom form', async () => {
    engine.use({ 'GET /api/scenarios': { scenarios: [] } });
    renderAt(<LoadTestPage />, URL);
    await waitFor(() => expect(engine.callsTo('GET /api/scenarios')).toHaveLength(1));
    expect(await screen.findByPlaceholderText('Custom (the fields below)')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Apply scenario' })).toBeDisabled();
  });

  it('fills the form from "Generate with LLM" and shows the generator and what the engine clamped', async () => {
    engine.use({
      'POST /api/scenario/generate': {
        source: 'llm',
        model: 'gpt-test',
        type: 'high-traffic',
        rationale: 'A burst of users.',
        adjustments: [{ path: 'load.users', from: 50000, to: 10000, reason: 'above the limit' }],
        spec: {
          name: 'llm-burst',
          target: { kind: 'lab', pods: 4, policy: 'least-connections', mode: 'l7' },
          load: { model: 'closed', users: 10000, spawnRate: 50, duration: '120s' },
        },
      },
    });
    renderAt(<LoadTestPage />, URL);
    fireEvent.change(screen.getByLabelText(/^Describe the traffic/), { target: { value: 'a flash sale' } });
    fireEvent.click(screen.getByRole('button', { name: 'Generate with LLM' }));
    expect(await screen.findByText('Generated by the LLM (gpt-test)')).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Values the engine clamped' })).getByRole('listitem')
    ).toHaveTextContent('load.users: 50000 → 10000 (above the limit)');
    expect(engine.callsTo('POST /api/scenario/generate')[0].body).toMatchObject({
      type: 'high-traffic',
      description: 'a flash sale',
      target: { kind: 'lab' },
    });
    expect(screen.getByLabelText('Name')).toHaveValue('llm-burst');
    expect(screen.getByLabelText(/^Pods/, { selector: 'input' })).toHaveValue(4);
    start();
    await waitFor(() => expect(engine.callsTo('POST /api/load-test/start')).toHaveLength(1));
    expect(engine.callsTo('POST /api/load-test/start')[0].body).toMatchObject({
      name: 'llm-burst',
      load: { users: 10000, spawnRate: 50, duration: '120s' },
      target: { policy: 'least-connections' },
    });
  });
});
