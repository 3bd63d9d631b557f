import { z } from 'zod';
import { ScaleError } from '../../core/errors.js';
import { inputPaths } from '../../spec/limits.js';
import { TestSpecSchema } from '../../spec/test-spec.js';
import { route, type RouteDef } from '../route.js';
import { ALERT_SCHEMA } from './alerts.js';
import type { Services } from '../services.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(100) });

const StatusSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['starting', 'running', 'finished', 'stopped', 'failed', 'interrupted'] },
    elapsed: { type: 'number', description: 'seconds since the load started' },
    expectedDuration: { type: 'number' },
    progress: { type: 'number', description: '0..1' },
    totals: { type: 'object' },
    window: { type: 'object', description: 'the last 1 s window (live runs only)' },
    recent: {
      type: 'object',
      description: 'the verdict alerts read (live runs only): the last window\'s, or, when it is too thin to judge, that of the latest windows pooled (up to 30); `windows` is how many',
      properties: { verdict: { type: 'string' }, windows: { type: 'integer' } },
    },
    pods: { type: 'array', items: { type: 'object' }, description: 'per pod: the last 1 s window while live (requests, share, expectedShare, errors, latency), the whole run once stored' },
  },
};

/** Seed endpoints for starting, stopping and following a test. */
export function loadTestRoutes(s: Services): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/load-test/start',
      summary: 'Start a load test',
      description: 'Validates the TestSpec (every problem listed at once), checks the target allow-list and the limits, then starts the test.',
      tag: 'load tests',
      auth: 'engine',
      body: TestSpecSchema,
      status: 201,
      responses: {
        201: { description: 'Started', schema: { type: 'object', properties: { id: { type: 'string' }, status: { type: 'string' } } } },
        403: { description: 'Target outside the allow-list' },
        429: { description: 'Too many tests running' },
      },
      handler: async ({ body, req }) => {
        // A cap is checked on the validated spec; its paths are reported as the body wrote them.
        const run = await s.runs.start(body).catch((err: unknown) => {
          throw err instanceof ScaleError ? new ScaleError(err.code, err.message, inputPaths(err.details, req.body)) : err;
        });
        return { id: run.id, status: run.status, ...(run.status === 'failed' ? { error: run.snapshot().error } : {}) };
      },
    }),
    route({
      method: 'post',
      path: '/api/load-test/stop/:id',
      summary: 'Stop a running test early (its result keeps what was measured)',
      tag: 'load tests',
      auth: 'engine',
      params: IdParams,
      responses: { 200: { description: 'Stopping', schema: { type: 'object' } }, 404: { description: 'Unknown test' }, 409: { description: 'Not running' } },
      handler: ({ params }) => {
        const run = s.runs.get(params.id);
        if (!run) {
          if (s.store.get(params.id)) throw new ScaleError('conflict', `test ${params.id} is not running`);
          throw new ScaleError('not_found', `no test ${params.id}`);
        }
        if (!s.runs.stop(params.id)) throw new ScaleError('conflict', `test ${params.id} is ${run.status}, not running`);
        return { id: run.id, status: 'stopping' };
      },
    }),
    route({
      method: 'get',
      path: '/api/load-test/status/:id',
      summary: 'Status and progress of a test',
      tag: 'load tests',
      auth: 'engine',
      params: IdParams,
      responses: { 200: { description: 'Status', schema: StatusSchema }, 404: { description: 'Unknown test' } },
      handler: ({ params }) => {
        const run = s.runs.get(params.id);
        if (run) {
          const tick = s.live.latest(run.id);
          const snap = run.snapshot();
          // A finished run's live window is gone: its elapsed time is the Result's duration.
          const done = run.status !== 'starting' && run.status !== 'running';
          const elapsed = done ? snap.duration : (tick?.elapsed ?? 0);
          return {
            id: run.id,
            name: run.spec.name,
            status: run.status,
            elapsed,
            expectedDuration: run.expectedDuration,
            progress: run.status === 'finished' ? 1 : run.expectedDuration > 0 ? Math.min(1, elapsed / run.expectedDuration) : 0,
            totals: snap.totals,
            balance: snap.balance,
            // per pod: the last window while live; the run so far once it has ended (the tick is gone)
            pods: tick ? tick.pods : snap.pods,
            ...(tick ? { window: tick.window } : {}),
            ...(tick?.recent ? { recent: tick.recent } : {}),
            ...(snap.error ? { error: snap.error } : {}),
          };
        }
        const stored = s.store.get(params.id);
        if (!stored) throw new ScaleError('not_found', `no test ${params.id}`);
        return {
          id: stored.id,
          name: stored.spec.name,
          status: stored.status,
          elapsed: stored.duration,
          expectedDuration: stored.duration,
          progress: 1,
          totals: stored.totals,
          balance: stored.balance,
          pods: stored.pods,
          ...(stored.error ? { error: stored.error } : {}),
        };
      },
    }),
    route({
      method: 'get',
      path: '/api/metrics',
      summary: 'Live snapshot: the last 1 s window of every running test, and the firing alerts',
      tag: 'live',
      auth: 'engine',
      responses: {
        200: { description: 'Snapshot', schema: { type: 'object', properties: { tests: { type: 'array', items: { type: 'object' } }, alerts: { type: 'array', items: ALERT_SCHEMA, description: 'firing alerts (GET /api/alerts lists resolved ones too)' } } } },
      },
      handler: () => ({ tests: s.live.snapshot(), alerts: s.alerts.active() }),
    }),
  ];
}
