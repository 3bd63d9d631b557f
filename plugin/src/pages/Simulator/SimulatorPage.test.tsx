import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { CompareRow } from '../../api/types';
import { engineError, FAILURE_CASES, mockEngine, type EngineMock } from '../../test/engine-mock';
import { fieldError, renderAt } from '../../test/render';
import SimulatorPage from './SimulatorPage';

const URL = '/a/scale-lbtester-app/simulator';
let engine: EngineMock;

const row = (rank: number, policy: CompareRow['policy'], score: number, pass = true): CompareRow => ({
  rank,
  label: policy,
  policy,
  policyOptions: {},
  score,
  verdict: score >= 0.95 ? 'balanced' : 'imbalanced',
  basis: 'utilisation',
  requestScore: score,
  utilisation: score,
  p50: 0.01,
  p99: 0.05 * rank,
  errorRate: 0,
  requests: 20000,
  pass,
  feasible: true,
  violations: [],
  simulatedRequestsPerSecond: 500000,
});

beforeEach(() => {
  engine = mockEngine({
    'POST /api/compare': {
      rankBy: 'balance',
      rows: [
        row(1, 'least-connections', 0.99),
        row(2, 'power-of-two', 0.97),
        { ...row(3, 'round-robin', 0.71, false), feasible: false, violations: ['p99'] },
      ],
    },
  });
});

const compare = () => fireEvent.click(screen.getByRole('button', { name: 'Compare policies' }));

describe('Simulator', () => {
  it('sends the what-if as a simulation spec and shows the ranked policies', async () => {
    renderAt(<SimulatorPage />, URL);
    expect(screen.queryByRole('table', { name: 'Policies ranked' })).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText(/^Pods/), { target: { value: '50' } });
    fireEvent.change(screen.getByLabelText(/^Load/), { target: { value: '0.9' } });
    fireEvent.click(screen.getByRole('radio', { name: 'p99' }));
    compare();
    const t = await screen.findByRole('table', { name: 'Policies ranked' });
    expect(engine.callsTo('POST /api/compare')[0].body).toEqual({
      rankBy: 'p99',
      spec: {
        pods: 50,
        mode: 'l7',
        serviceTime: 'exp:10ms',
        podBehaviour: [{ pods: ['pod-3'], speed: 0.2 }],
        load: { model: 'open', load: 0.9 },
        requests: 100000,
        seed: 1,
      },
    });
    const rows = within(t).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1].textContent)).toEqual([
      'least-connections',
      'power-of-two',
      'round-robin',
    ]);
    expect(rows[2]).toHaveTextContent(/imbalanced.*fail\s*no: p99$/);
    expect(rows[0]).toHaveTextContent(/yes$/);
  });

  it("shows the engine's 400 messages next to the what-if fields", async () => {
    engine.use({
      'POST /api/compare': engineError(400, 'invalid_input', 'invalid input: 2 problems', [
        { path: 'spec.pods', message: 'must be an integer from 1 to 1000' },
        { path: 'spec.podBehaviour.0.speed', message: 'must be greater than 0' },
      ]),
    });
    renderAt(<SimulatorPage />, URL);
    fireEvent.change(screen.getByLabelText(/^Pods/), { target: { value: 'many' } });
    compare();
    await screen.findByText('The engine refused the request (400)');
    expect(fieldError(screen.getByLabelText(/^Pods/))).toBe('must be an integer from 1 to 1000');
    expect(fieldError(screen.getByLabelText(/^Its relative speed/))).toBe('must be greater than 0');
    expect(fieldError(screen.getByLabelText(/^Load/))).toBeNull();
    // A non-number is sent as typed, so the engine names it.
    expect((engine.callsTo('POST /api/compare')[0].body as { spec: { pods: unknown } }).spec.pods).toBe('many');
  });

  it.each(FAILURE_CASES)('shows "$title" when comparing meets $name', async ({ reply, title }) => {
    engine.use({ 'POST /api/compare': reply });
    renderAt(<SimulatorPage />, URL);
    compare();
    expect(await screen.findByText(title)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Compare policies' })).toBeEnabled());
    expect(screen.queryByRole('table', { name: 'Policies ranked' })).not.toBeInTheDocument();
  });

  it('leaves the slow pod out when its field is empty', async () => {
    renderAt(<SimulatorPage />, URL);
    fireEvent.change(screen.getByLabelText(/^Slow pod/), { target: { value: '' } });
    compare();
    await screen.findByRole('table', { name: 'Policies ranked' });
    expect((engine.callsTo('POST /api/compare')[0].body as { spec: object }).spec).not.toHaveProperty('podBehaviour');
  });
});
