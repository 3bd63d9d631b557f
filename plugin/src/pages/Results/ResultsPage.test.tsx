import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { engineError, FAILURE_CASES, mockEngine, type EngineMock } from '../../test/engine-mock';
import { OTHER_ID, pods, result, RUN_ID, summary } from '../../test/fixtures';
import { location, renderAt } from '../../test/render';
import ResultsPage from './ResultsPage';

const BASE = '/a/scale-lbtester-app/results';
const PATH = `${BASE}/*`;
let engine: EngineMock;

const RUNS = [
  summary({
    id: RUN_ID,
    name: 'even',
    score: 0.998,
    verdict: 'balanced',
    thresholds: [{ name: 'balance', limit: 0.95, value: 0.998, pass: true }],
  }),
  summary({
    id: OTHER_ID,
    name: 'skewed',
    score: 0.61,
    verdict: 'imbalanced',
    policy: 'random',
    status: 'stopped',
    thresholds: [
      { name: 'balance', limit: 0.95, value: 0.61, pass: false },
      { name: 'p99', limit: 0.5, value: 0.12, pass: true },
    ],
  }),
];

beforeEach(() => {
  engine = mockEngine({
    'GET /api/results': (r) => {
      const items = RUNS.filter((x) => !r.params.name || x.name === r.params.name);
      return { items, total: items.length, limit: 50, offset: 0 };
    },
    'GET /api/results/:id': (r) =>
      r.vars.id === OTHER_ID
        ? result({ id: OTHER_ID, spec: { ...result().spec, name: 'skewed' }, pods: pods([0.6, 0.1, 0.1, 0.1, 0.1]) })
        : result(),
  });
});

const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);
const table = async () => {
  await screen.findByRole('link', { name: 'even' });
  return screen.getByRole('link', { name: 'even' }).closest('table')!;
};

describe('Results: runs table', () => {
  it('lists the stored runs with status and verdict, and sorts a column', async () => {
    renderAt(<ResultsPage />, BASE, PATH);
    const t = await table();
    expect(rowsOf(t).map((r) => within(r).getAllByRole('cell')[1].textContent)).toEqual(['even', 'skewed']);
    expect(rowsOf(t)[1]).toHaveTextContent(/stopped.*imbalanced.*0\.6100/);
    fireEvent.click(within(t).getByText('Score'));
    await waitFor(() =>
      expect(rowsOf(t).map((r) => within(r).getAllByRole('cell')[1].textContent)).toEqual(['skewed', 'even'])
    );
  });

  it('shows pass or fail for each threshold of a run, and nothing yet for a running one', async () => {
    engine.use({
      'GET /api/results': {
        items: [...RUNS, summary({ id: 'live-1', name: 'live', status: 'running', thresholds: undefined })],
        total: 3,
        limit: 50,
        offset: 0,
      },
    });
    renderAt(<ResultsPage />, BASE, PATH);
    const t = await table();
    const cells = rowsOf(t).map((r) => within(r).getAllByRole('cell')[5].textContent);
    expect(cells).toEqual(['balance pass', 'balance failp99 pass', '–']);
    // A failure is told by its icon and word, not by colour alone.
    expect(within(within(t).getByText('balance fail')).getByTestId('times')).toBeInTheDocument();
  });

  it('filters by name on the engine', async () => {
    renderAt(<ResultsPage />, BASE, PATH);
    await table();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'skewed' } });
    expect(await screen.findByRole('link', { name: 'skewed' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'even' })).not.toBeInTheDocument();
    expect(engine.callsTo('GET /api/results').at(-1)!.params).toMatchObject({ name: 'skewed', limit: 50, offset: 0 });
  });

  it('opens two picked runs side by side', async () => {
    renderAt(<ResultsPage />, BASE, PATH);
    await table();
    const compare = screen.getByRole('button', { name: 'Compare the two selected' });
    expect(compare).toBeDisabled();
    fireEvent.click(screen.getByLabelText(`compare even ${RUN_ID.slice(0, 8)}`));
    fireEvent.click(screen.getByLabelText(`compare skewed ${OTHER_ID.slice(0, 8)}`));
    fireEvent.click(compare);
    await waitFor(() => expect(location()).toBe(`${BASE}/compare?a=${RUN_ID}&b=${OTHER_ID}`));
    expect(await screen.findByRole('region', { name: 'Run checkout' })).toBeInTheDocument();
    expect(await screen.findByRole('region', { name: 'Run skewed' })).toBeInTheDocument();
    expect(screen.getAllByRole('table', { name: 'Per-pod results' })).toHaveLength(2);
  });

  it('says there are no runs yet, and that none matches a filter (empty states)', async () => {
    engine.use({ 'GET /api/results': { items: [], total: 0, limit: 50, offset: 0 } });
    renderAt(<ResultsPage />, BASE, PATH);
    expect(await screen.findByText('No runs yet')).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'nothing' } });
    expect(await screen.findByText('No run matches these filters')).toBeInTheDocument();
  });

  it.each(FAILURE_CASES)('shows "$title" when listing meets $name', async ({ reply, title }) => {
    engine.use({ 'GET /api/results': reply });
    renderAt(<ResultsPage />, BASE, PATH);
    expect(await screen.findByText(title)).toBeInTheDocument();
    expect(screen.queryByText('No runs yet')).not.toBeInTheDocument();
  });

  it("shows the engine's 400 for a bad query", async () => {
    engine.use({
      'GET /api/results': engineError(400, 'invalid_input', 'invalid input: 1 problem', [
        { path: 'status', message: 'must be one of starting, running' },
      ]),
    });
    renderAt(<ResultsPage />, BASE, PATH);
    expect(await screen.findByText('The engine refused the request (400)')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Problems reported by the engine' })).toHaveTextContent(
      'status must be one of starting, running'
    );
  });
});

describe('Results: run detail', () => {
  it('shows the summary, thresholds, per-pod table, faults and downloads', async () => {
    engine.use({
      'GET /api/results/:id': result({
        faults: [
          { id: 'f1', type: 'latency', pods: ['pod-2'], startedAt: 2, endedAt: 5, params: {}, endReason: 'expired' },
        ],
      }),
    });
    renderAt(<ResultsPage />, `${BASE}/${RUN_ID}`, PATH);
    const pods = await screen.findByRole('table', { name: 'Per-pod results' });
    expect(rowsOf(pods)).toHaveLength(5);
    expect(rowsOf(screen.getByRole('table', { name: 'Thresholds' }))[0]).toHaveTextContent(
      /balance.*0\.95.*0\.9980.*pass/
    );
    expect(screen.getByRole('list', { name: 'Faults of the run' })).toHaveTextContent(
      'latency on pod-2 from 2.0 s to 5.0 s (expired)'
    );
    expect(screen.getByRole('link', { name: /CSV/ })).toHaveAttribute(
      'href',
      `/api/plugin-proxy/scale-lbtester-app/engine/api/results/${RUN_ID}?format=csv`
    );
    expect(screen.getByRole('link', { name: /JSON/ }).getAttribute('href')).toMatch(/^data:application\/json/);
  });

  it('says when a run does not exist', async () => {
    engine.use({ 'GET /api/results/:id': engineError(404, 'not_found', `no result ${RUN_ID}`) });
    renderAt(<ResultsPage />, `${BASE}/${RUN_ID}`, PATH);
    expect(await screen.findByText('Not found')).toBeInTheDocument();
    expect(screen.getByText(`no result ${RUN_ID}`)).toBeInTheDocument();
  });

  it('shows a failed threshold as fail, with the reason the engine gave, and the basis of the score', async () => {
    engine.use({
      'GET /api/results/:id': result({
        balance: { ...result().balance, basis: 'utilisation', requestScore: 0.91 },
        thresholds: [
          { name: 'p99', limit: 0.01, value: 0.04, pass: false },
          { name: 'errorRate', limit: 0.01, value: 0.0025, pass: true },
          { name: 'responses', limit: 1, value: 0, pass: false, reason: 'no request got a successful response' },
          {
            name: 'maxShareRatio',
            limit: 1.5,
            value: 1.9608,
            pass: false,
            pod: 'pod-17',
            reason: 'pod-17 took 1.96× its expected share (limit 1.5×)',
          },
        ],
      }),
    });
    renderAt(<ResultsPage />, `${BASE}/${RUN_ID}`, PATH);
    const t = await screen.findByRole('table', { name: 'Thresholds' });
    // the hottest pod's share over its expected share reads as a multiple, with the pod it is about
    expect(rowsOf(t)[3]).toHaveTextContent(/maxShareRatio\s*1\.50×\s*1\.96×\s*\(pod-17\)\s*fail pod-17 took 1\.96×/);
    // the engine sends p99 in seconds and the error rate as a fraction: the table shows their units
    expect(rowsOf(t)[0]).toHaveTextContent(/p99\s*10\.0 ms\s*40\.0 ms\s*fail/);
    expect(rowsOf(t)[1]).toHaveTextContent(/errorRate\s*1\.00%\s*0\.25%\s*pass/);
    expect(rowsOf(t)[2]).toHaveTextContent(/responses.*fail no request got a successful response/);
    expect(screen.getByText(/on pod work \(busy time\)/)).toBeInTheDocument();
    expect(screen.getByText('request score').nextSibling).toHaveTextContent('0.9100');
  });
});
