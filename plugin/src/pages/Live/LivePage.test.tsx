import React from 'react';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { EngineAlert } from '../../api/types';
import { engineError, FAILURE_CASES, mockEngine, type EngineMock } from '../../test/engine-mock';
import { fault, liveTick, pods, point, result, RUN_ID, status } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import LivePage from './LivePage';

const URL = '/a/scale-lbtester-app/live';
let engine: EngineMock;

beforeEach(() => {
  let calls = 0;
  engine = mockEngine({
    'GET /api/metrics': { tests: [liveTick()] },
    // Each poll is one more second of the run.
    'GET /api/load-test/status/:id': () => {
      calls += 1;
      return status({ elapsed: 2 + calls, window: { ...point(2 + calls), balance: result().balance } });
    },
    'GET /api/results/:id': result({ status: 'running', timeline: [point(1), point(2)] }),
    'GET /api/failures': { faults: [fault()] },
    'GET /api/alerts': { alerts: [] },
  });
});

afterEach(() => {
  jest.useRealTimers();
});

const updates = () => Number(screen.getByTestId('live-updates').textContent!.replace(/\D+/g, ''));

describe('Live page', () => {
  it('draws per-pod bars against the expected share, the banner and the active faults, and updates every second', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    renderAt(<LivePage />, `${URL}?test=${RUN_ID}`);
    await screen.findByTestId('live-banner');
    const bars = screen.getAllByRole('meter');
    expect(bars).toHaveLength(5);
    expect(bars[0]).toHaveAttribute('aria-valuetext', '20.0% of requests, expected 20.0%');
    expect(within(screen.getByRole('list', { name: 'Active faults' })).getByRole('listitem')).toHaveTextContent(
      'latency (high) on pod-2'
    );
    const first = updates();
    for (let i = 0; i < 5; i++) {
      await act(() => jest.advanceTimersByTimeAsync(1000));
    }
    expect(updates()).toBeGreaterThanOrEqual(first + 5);
    // The engine was asked once a second for this test, and the banner follows its clock.
    expect(engine.callsTo('GET /api/load-test/status/:id').every((c) => c.vars.id === RUN_ID)).toBe(true);
    expect(screen.getByTestId('live-banner')).toHaveTextContent(/\d+ s of 10 s/);
  });

  it('raises the imbalance banner when the last window is imbalanced', async () => {
    const bad = { ...result().balance, score: 0.62, verdict: 'imbalanced' as const };
    engine.use({
      'GET /api/load-test/status/:id': status({
        pods: pods([0.6, 0.1, 0.1, 0.1, 0.1]),
        window: { ...point(3, { score: 0.62, verdict: 'imbalanced' }), balance: bad },
      }),
    });
    renderAt(<LivePage />, `${URL}?test=${RUN_ID}`);
    const banner = await screen.findByTestId('live-banner');
    expect(banner).toHaveTextContent('last second: imbalanced score 0.6200');
    expect(screen.getByRole('meter', { name: 'pod-0 share' })).toHaveAttribute('aria-valuenow', '0.6');
  });

  it('a last second too thin to judge shows the verdict of the last seconds pooled, as the alert reads it', async () => {
    engine.use({
      'GET /api/load-test/status/:id': status({
        window: {
          ...point(3, { score: 0.41, verdict: 'insufficient-data' }),
          balance: { ...result().balance, score: 0.41, verdict: 'insufficient-data' },
        },
        recent: { verdict: 'imbalanced', windows: 2 },
      }),
    });
    renderAt(<LivePage />, `${URL}?test=${RUN_ID}`);
    const banner = await screen.findByTestId('live-banner');
    expect(banner).toHaveTextContent('last second: insufficient-data score 0.4100 (last 2 s: imbalanced)');
  });

  it('picks the running test by itself and stops it on request', async () => {
    engine.use({ 'POST /api/load-test/stop/:id': { id: RUN_ID, status: 'stopped' } });
    renderAt(<LivePage />, URL);
    fireEvent.click(await screen.findByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(engine.callsTo('POST /api/load-test/stop/:id')).toHaveLength(1));
    expect(engine.callsTo('POST /api/load-test/stop/:id')[0].vars.id).toBe(RUN_ID);
  });

  it('links to the result once the run has ended, and stops polling it', async () => {
    engine.use({ 'GET /api/load-test/status/:id': status({ status: 'finished', elapsed: 10, progress: 1 }) });
    renderAt(<LivePage />, `${URL}?test=${RUN_ID}`);
    expect(await screen.findByRole('link', { name: 'Open the result' })).toHaveAttribute(
      'href',
      `/a/scale-lbtester-app/results/${RUN_ID}`
    );
    const asked = engine.callsTo('GET /api/load-test/status/:id').length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(engine.callsTo('GET /api/load-test/status/:id')).toHaveLength(asked);
  });

  it("shows the firing alerts of this run and the engine's own, with the runbook, from GET /api/alerts", async () => {
    const alert = (
      name: string,
      labels: Record<string, string>,
      status: 'firing' | 'resolved' = 'firing'
    ): EngineAlert => ({
      fingerprint: `fp-${name}-${labels.test ?? ''}`,
      name,
      status,
      labels: { alertname: name, ...labels },
      annotations: { summary: `${name} summary`, runbook_url: 'https://runbooks.example/scale' },
      startsAt: '2026-01-02T03:04:07.000Z',
      receivedAt: '2026-01-02T03:04:08.000Z',
      updatedAt: '2026-01-02T03:04:08.000Z',
    });
    engine.use({
      'GET /api/alerts': {
        alerts: [
          alert('ScaleImbalance', { severity: 'warning', test: `checkout/${RUN_ID.slice(0, 8)}` }),
          alert('ScaleHighErrorRate', { severity: 'critical', test: 'other/0badc0de' }),
          alert('ScaleEngineDown', { severity: 'critical' }),
        ],
        firing: 3,
        resolved: 0,
        evicted: 0,
      },
    });
    renderAt(<LivePage />, `${URL}?test=${RUN_ID}`);
    await screen.findByTestId('live-banner');
    await waitFor(() => expect(screen.getAllByTestId('live-alert')).toHaveLength(2));
    const [mine, engineDown] = screen.getAllByTestId('live-alert');
    expect(mine).toHaveTextContent('ScaleImbalance is firing (warning)');
    expect(mine).toHaveTextContent('ScaleImbalance summary');
    expect(within(mine).getByRole('link', { name: 'Runbook' })).toHaveAttribute(
      'href',
      'https://runbooks.example/scale'
    );
    expect(engineDown).toHaveTextContent('ScaleEngineDown is firing (critical)');
    // Only firing alerts are asked for; another run's alert stays off this page.
    expect(engine.callsTo('GET /api/alerts')[0].params).toEqual({ status: 'firing' });
    expect(screen.queryByText(/ScaleHighErrorRate/)).not.toBeInTheDocument();
  });

  it('reads an engine without the alerts route (404) as no alerts', async () => {
    engine.use({ 'GET /api/alerts': engineError(404, 'not_found', 'no route GET /api/alerts') });
    renderAt(<LivePage />, `${URL}?test=${RUN_ID}`);
    await screen.findByTestId('live-banner');
    await waitFor(() => expect(engine.callsTo('GET /api/alerts').length).toBeGreaterThan(0));
    expect(screen.queryByTestId('live-alert')).not.toBeInTheDocument();
    expect(screen.queryByText('Not found')).not.toBeInTheDocument();
  });

  it('says that no test is running (empty state)', async () => {
    engine.use({ 'GET /api/metrics': { tests: [] } });
    renderAt(<LivePage />, URL);
    expect(await screen.findByText('No test is running')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Load test' })).toHaveAttribute('href', '/a/scale-lbtester-app/load-test');
  });

  it.each(FAILURE_CASES)('shows "$title" when the engine answers $name', async ({ reply, title }) => {
    engine.use({ '* *': reply });
    renderAt(<LivePage />, URL);
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(screen.queryByText('No test is running')).not.toBeInTheDocument();
  });

  it('says so when the chosen test is unknown to the engine', async () => {
    engine.use({ 'GET /api/load-test/status/:id': engineError(404, 'not_found', 'no test nope') });
    renderAt(<LivePage />, `${URL}?test=nope`);
    expect(await screen.findByText('no test nope')).toBeInTheDocument();
    expect(screen.queryByTestId('live-banner')).not.toBeInTheDocument();
  });
});
