import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import {
  LoadingState,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
} from '@grafana/data';
import { setTemplateSrv, type TemplateSrv } from '@grafana/runtime';
import { engineError, FAILURE_CASES, mockEngine, type EngineMock } from '../test/engine-mock';
import { point, result, RUN_ID, status, summary } from '../test/fixtures';
import { ScaleDataSource } from './datasource';
import type { ScaleDataSourceOptions, ScaleQuery } from './types';

const BASE = '/api/datasources/proxy/uid/scale-ds';
let engine: EngineMock;

const settings = {
  id: 1,
  uid: 'scale-ds',
  type: 'scale-engine-datasource',
  name: 'Scale',
  url: BASE,
  access: 'proxy',
  jsonData: { engineUrl: 'http://127.0.0.1:8000' },
  meta: {},
  readOnly: false,
} as unknown as DataSourceInstanceSettings<ScaleDataSourceOptions>;
const ds = () => new ScaleDataSource(settings);
const request = (...targets: Array<Partial<ScaleQuery>>) =>
  ({
    requestId: 'r1',
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t })),
    scopedVars: { test: { text: 'checkout', value: RUN_ID } },
  }) as unknown as DataQueryRequest<ScaleQuery>;
const values = (r: DataQueryResponse, frame: number, field: string) =>
  r.data[frame].fields.find((f: { name: string }) => f.name === field)?.values;

beforeAll(() => {
  // Grafana's template service: `$test` from the request's scoped variables.
  setTemplateSrv({
    replace: (s = '', vars: Record<string, { value: string }> = {}) =>
      s.replace(/\$(\w+)/g, (m, n) => vars[n]?.value ?? m),
  } as unknown as TemplateSrv);
});

beforeEach(() => {
  engine = mockEngine(
    {
      'GET /health': { status: 'ok', version: '0.1.0', uptime: 5, runningTests: 0 },
      'GET /api/results': (r) => ({
        items: [
          summary(),
          summary({
            id: 'b',
            name: 'other',
            status: 'failed',
            verdict: 'imbalanced',
            score: 0.5,
            thresholds: [
              { name: 'balance', limit: 0.95, value: 0.5, pass: false },
              { name: 'p99', limit: 0.1, value: 0.2, pass: false },
              { name: 'errorRate', limit: 0.01, value: 0, pass: true },
            ],
          }),
        ].filter((s) => !r.params.status || s.status === r.params.status),
        total: 2,
        limit: 500,
        offset: 0,
      }),
      'GET /api/results/:id': result({
        timeline: [point(1, { rps: 150 }), point(2, { rps: 250, score: 0.7, utilisation: null })],
        faults: [
          {
            id: 'f',
            type: 'latency',
            pods: ['pod-1'],
            startedAt: 1.5,
            endedAt: null,
            params: {},
            endReason: undefined,
          },
        ],
      }),
    },
    `${BASE}/engine`
  );
});

afterEach(() => jest.useRealTimers());

describe('Scale engine datasource', () => {
  it('runs list: a table of stored runs, filtered on the engine', async () => {
    const r = await firstValueFrom(ds().query(request({ queryType: 'runs', status: 'failed' })));
    expect(values(r, 0, 'name')).toEqual(['other']);
    expect(values(r, 0, 'verdict')).toEqual(['imbalanced']);
    expect(values(r, 0, 'thresholds')).toEqual(['fail: balance, p99']);
    expect(engine.callsTo('GET /api/results')[0].params).toEqual({ limit: 500, status: 'failed' });
  });

  it('run result: per-pod table and the timeline on the wall clock, test id from a template variable', async () => {
    const r = await firstValueFrom(ds().query(request({ queryType: 'result', testId: '$test' })));
    expect(engine.callsTo('GET /api/results/:id')[0].vars.id).toBe(RUN_ID);
    expect(r.data.map((f) => f.name)).toEqual(['pods', 'timeline']);
    expect(values(r, 0, 'pod')).toEqual(['pod-0', 'pod-1', 'pod-2', 'pod-3', 'pod-4']);
    const t0 = Date.parse(result().startedAt);
    expect(values(r, 1, 'time')).toEqual([t0 + 1000, t0 + 2000]);
    expect(values(r, 1, 'rps')).toEqual([150, 250]);
  });

  it('balance timeline: score and utilisation balance only', async () => {
    const r = await firstValueFrom(ds().query(request({ queryType: 'balance', testId: RUN_ID })));
    expect(r.data[0].fields.map((f: { name: string }) => f.name)).toEqual(['time', 'score', 'utilisation balance']);
    expect(values(r, 0, 'utilisation balance')).toEqual([0.98, null]);
  });

  it('annotations: faults as time regions (an open fault lasts to the end of the run)', async () => {
    const source = ds();
    const q = source.annotations!.prepareQuery!({ target: { refId: 'x', testId: RUN_ID } } as never)!;
    const r = await firstValueFrom(source.query(request(q)));
    const t0 = Date.parse(result().startedAt);
    expect(values(r, 0, 'time')).toEqual([t0 + 1500]);
    expect(values(r, 0, 'timeEnd')).toEqual([t0 + 10000]);
    expect(values(r, 0, 'title')).toEqual(['fault: latency']);
  });

  it('live distribution streams every second while the run lasts, then ends', async () => {
    jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
    let n = 0;
    engine.use({
      'GET /api/load-test/status/:id': () =>
        ++n < 3 ? status({ elapsed: n }) : status({ status: 'finished', elapsed: 10 }),
    });
    const seen: DataQueryResponse[] = [];
    const done = lastValueFrom(
      ds()
        .query(request({ queryType: 'live', testId: RUN_ID }))
        .pipe(toArray())
    ).then((all) => seen.push(...all));
    for (let i = 0; i < 4; i++) {
      await jest.advanceTimersByTimeAsync(1000);
    }
    await done;
    expect(seen.map((r) => r.state)).toEqual([LoadingState.Streaming, LoadingState.Streaming, LoadingState.Done]);
    expect(seen[0].data.map((f) => f.name)).toEqual(['live distribution', 'window']);
    expect(n).toBe(3);
  });

  it('asks for a test id instead of calling the engine without one', async () => {
    const r = await firstValueFrom(ds().query(request({ queryType: 'result', testId: '' })));
    expect(r.errors?.[0].message).toBe('Choose a test id (or a $test variable)');
    expect(engine.calls).toHaveLength(0);
  });

  it('an empty store answers an empty table', async () => {
    engine.use({ 'GET /api/results': { items: [], total: 0, limit: 500, offset: 0 } });
    const r = await firstValueFrom(ds().query(request({ queryType: 'runs' })));
    expect(r.data[0].length).toBe(0);
    expect(r.errors).toBeUndefined();
  });

  it.each(FAILURE_CASES)('a query meeting $name answers "$title"', async ({ reply, title }) => {
    engine.use({ '* *': reply });
    const r = await firstValueFrom(ds().query(request({ queryType: 'runs' })));
    expect(r.errors?.[0].message).toContain(title);
  });

  it("passes the engine's 400 message on", async () => {
    engine.use({ 'GET /api/results/:id': engineError(400, 'invalid_input', 'id must be a uuid') });
    const r = await firstValueFrom(ds().query(request({ queryType: 'result', testId: 'nope' })));
    expect(r.errors?.[0].message).toBe('The engine refused the request (400): id must be a uuid');
  });

  it('template variable: the stored test ids, named', async () => {
    expect(await ds().metricFindQuery('failed')).toEqual([{ text: 'other (b)', value: 'b' }]);
  });

  it('Save & test: /health and one data route', async () => {
    expect(await ds().testDatasource()).toEqual({
      status: 'success',
      message: 'Scale engine 0.1.0 is up (0 test(s) running) and accepts the token.',
    });
    expect(engine.calls.map((c) => c.path)).toEqual(['/health', '/api/results']);
  });

  it.each(FAILURE_CASES)('Save & test meeting $name says "$title" and what to do', async ({ reply, title }) => {
    engine.use({ '* *': reply });
    const r = await ds().testDatasource();
    expect(r.status).toBe('error');
    expect(r.message).toContain(title);
  });
});
