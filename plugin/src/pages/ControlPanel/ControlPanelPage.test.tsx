import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DecisionRow, FaultRecord, TuningDecision } from '../../api/types';
import { engineError, FAILURE_CASES, FAILURES, mockEngine, type EngineMock } from '../../test/engine-mock';
import { fault, liveTick, RUN_ID, tuner } from '../../test/fixtures';
import { fieldError, renderAt } from '../../test/render';
import ControlPanelPage from './ControlPanelPage';

const URL = '/a/scale-lbtester-app/control';
let engine: EngineMock;
let faults: FaultRecord[];
let tuning = tuner();

beforeEach(() => {
  faults = [];
  tuning = tuner();
  engine = mockEngine({
    'GET /api/metrics': { tests: [liveTick({ name: 'shop' })] },
    'GET /api/failures': () => ({ faults }),
    'POST /api/failure/inject': (r) => {
      const f = fault({ ...(r.body as object), state: 'active', pods: ['pod-3'] });
      faults = [f];
      return f;
    },
    'DELETE /api/failure/:id': (r) => {
      faults = faults.map((f) => (f.id === r.vars.id ? { ...f, state: 'ended', endReason: 'removed' } : f));
      return faults[0];
    },
    'GET /api/tuning': () => tuning,
    'POST /api/tuning/enable': () => (tuning = tuner({ enabled: true, scope: 'all' })),
    'POST /api/tuning/disable': () => ({ state: (tuning = tuner()) }),
  });
});

const inject = () => fireEvent.click(screen.getByRole('button', { name: 'Inject Failure' }));
const ready = async () => waitFor(() => expect(screen.getByRole('button', { name: 'Inject Failure' })).toBeEnabled());

describe('Control panel', () => {
  it('injects a High latency fault on the running test, lists it, and removes it', async () => {
    renderAt(<ControlPanelPage />, URL);
    await ready();
    fireEvent.click(screen.getByRole('radio', { name: 'High' }));
    fireEvent.change(screen.getByLabelText(/^Duration, seconds/), { target: { value: '20' } });
    inject();
    const row = await screen.findByTestId('fault-latency');
    expect(engine.callsTo('POST /api/failure/inject')[0].body).toEqual({
      testId: RUN_ID,
      type: 'latency',
      severity: 'high',
      duration: '20s',
    });
    expect(row).toHaveTextContent(/latency.*high.*pod-3/);
    fireEvent.click(within(row).getByRole('button', { name: 'Remove latency fault on pod-3' }));
    await waitFor(() => expect(screen.queryByTestId('fault-latency')).not.toBeInTheDocument());
    expect(engine.callsTo('DELETE /api/failure/:id')[0].vars.id).toBe('fault-1');
    expect(screen.getByRole('list', { name: 'Recently ended faults' })).toHaveTextContent(
      'latency (high) on pod-3: removed'
    );
  });

  it("shows the engine's 400 messages next to the fault fields", async () => {
    engine.use({
      'POST /api/failure/inject': engineError(400, 'invalid_input', 'invalid input: 2 problems', [
        { path: 'duration', message: 'at most 600s' },
        { path: 'pods', message: 'unknown pod pod-9' },
      ]),
    });
    renderAt(<ControlPanelPage />, URL);
    await ready();
    fireEvent.change(screen.getByLabelText(/^Duration, seconds/), { target: { value: '9999' } });
    inject();
    await screen.findByText('The engine refused the request (400)');
    expect(fieldError(screen.getByLabelText(/^Duration, seconds/))).toBe('at most 600s');
    expect(fieldError(document.getElementById('fault-pods')!)).toBe('unknown pod pod-9');
    expect(screen.queryByRole('list', { name: 'Problems reported by the engine' })).not.toBeInTheDocument();
  });

  it.each(FAILURE_CASES)('shows "$title" when injecting meets $name', async ({ reply, title }) => {
    engine.use({ 'POST /api/failure/inject': reply });
    renderAt(<ControlPanelPage />, URL);
    await ready();
    inject();
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(screen.queryByTestId('fault-latency')).not.toBeInTheDocument();
  });

  it('turns auto-tuning on and off and shows the recommendation with predicted and measured numbers', async () => {
    const score = (balance: number) => ({
      balance,
      balanceKind: 'requests' as const,
      countScore: balance,
      utilisation: null,
      p50Ms: 10,
      p99Ms: 40,
      errorRate: 0,
      requests: 1000,
    });
    const row = (
      policy: DecisionRow['setting']['policy'],
      predicted: number,
      measured?: number,
      weights?: Record<string, number>
    ): DecisionRow => ({
      id: policy,
      apply: 'live',
      current: false,
      setting: { policy, policyOptions: {}, mode: 'l7', requestsPerConnection: 0, ...(weights ? { weights } : {}) },
      predicted: score(predicted),
      ...(measured ? { measured: score(measured) } : {}),
    });
    const decision: TuningDecision = {
      id: 'd1',
      at: '2026-01-02T03:04:09.000Z',
      testId: RUN_ID,
      trigger: 'closed-loop',
      action: 'applied',
      objective: { maxP99Ratio: 1.1, p99SlackMs: 5, errorRateLimit: 0.01, tieTolerance: 0.01 },
      model: [],
      current: row('random', 0.8, 0.79),
      winner: row('weighted-round-robin', 0.99, 0.985, { 'pod-1': 1, 'pod-2': 3 }),
      rows: [],
      note: 'weighted-round-robin predicted 0.99',
      simulatedRequests: 40000,
    };
    renderAt(<ControlPanelPage />, URL);
    expect(await screen.findByText(/^No decision yet/)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('tuning-state')).toHaveTextContent('Auto-tuning is off.'));
    fireEvent.click(screen.getByRole('button', { name: 'Enable Auto-Tuning' }));
    await waitFor(() =>
      expect(screen.getByTestId('tuning-state')).toHaveTextContent('Auto-tuning is on for every running lab test')
    );
    tuning = { ...tuning, decisions: [decision] };
    const table = await screen.findByRole('table', { name: 'Current recommendation' }, { timeout: 5000 });
    expect(within(table).getAllByRole('row')[2]).toHaveTextContent(
      /recommended.*weighted-round-robin l7 weights pod-1=1,pod-2=3.*balance 0\.990.*balance 0\.985/
    );
    expect(screen.getByRole('list', { name: 'Tuning history' })).toHaveTextContent(
      'applied (closed-loop) on a1b2c3d4: random l7 → weighted-round-robin l7 weights pod-1=1,pod-2=3'
    );
    fireEvent.click(screen.getByRole('button', { name: 'Disable Auto-Tuning' }));
    await waitFor(() => expect(screen.getByTestId('tuning-state')).toHaveTextContent('Auto-tuning is off.'));
  });

  it('without a running test says faults need one and keeps Inject disabled (empty state)', async () => {
    engine.use({ 'GET /api/metrics': { tests: [] } });
    renderAt(<ControlPanelPage />, URL);
    expect(await screen.findByText('Start a lab test first: faults act on a running lab test.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Inject Failure' })).toBeDisabled();
    expect(screen.getAllByText('None')).toHaveLength(2);
  });

  it('shows "Not allowed (403)" when a Viewer turns the tuner on (the proxy route needs Editor)', async () => {
    engine.use({ 'POST /api/tuning/enable': FAILURES.forbidden.reply });
    renderAt(<ControlPanelPage />, URL);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Enable Auto-Tuning' })).toBeEnabled());
    fireEvent.click(screen.getByRole('button', { name: 'Enable Auto-Tuning' }));
    expect(await screen.findByText(FAILURES.forbidden.title)).toBeInTheDocument();
    expect(screen.getByTestId('tuning-state')).toHaveTextContent('Auto-tuning is off.');
  });
});
