import { z } from 'zod';
import { ScaleError } from '../../core/errors.js';
import { listCsv, timelineCsv } from '../../store/csv.js';
import { withTuning } from '../../store/rebuild-result.js';
import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

const RUN_STATUSES = ['starting', 'running', 'finished', 'stopped', 'failed', 'interrupted'] as const;
const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date (ISO-8601)');

const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(RUN_STATUSES).optional(),
  name: z.string().min(1).max(100).optional(),
  since: isoDate.optional(),
  until: isoDate.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

/** One row of the results list (store/result-store.ts ResultSummary). */
const SummarySchema = {
  type: 'object',
  required: ['id', 'name', 'status', 'startedAt', 'endedAt', 'requests', 'errors', 'rps', 'score', 'verdict', 'basis', 'targetKind'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: [...RUN_STATUSES] },
    startedAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time', nullable: true },
    requests: { type: 'integer' },
    errors: { type: 'integer' },
    rps: { type: 'number' },
    score: { type: 'number', description: 'the balance score on `basis`: of the whole run once ended, of the last one-second window while running' },
    verdict: { type: 'string', enum: ['no-data', 'insufficient-data', 'balanced', 'imbalanced'] },
    basis: { type: 'string', enum: ['utilisation', 'requests'], description: 'what `score` and `verdict` judge: pod work or requests (runs stored before the basis existed: requests)' },
    requestScore: { type: 'number', description: 'the Jain index of requests against expected shares, over the same span as `score`; absent before a running test has a window' },
    policy: { type: 'string', description: 'balancing policy of a lab target' },
    targetKind: { type: 'string' },
    thresholds: {
      type: 'array',
      description: 'each configured threshold and its outcome, once the run has ended',
      items: { type: 'object', properties: { name: { type: 'string' }, limit: { type: 'number' }, value: { type: 'number' }, pass: { type: 'boolean' }, reason: { type: 'string' } } },
    },
  },
};

const FormatQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
const IdParams = z.strictObject({ id: z.string().min(1).max(100) });

/** Stored results: list (paged, filterable), one Result, CSV export. */
export function resultRoutes(s: Services): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/results',
      summary: 'List stored results, newest first',
      tag: 'results',
      auth: 'engine',
      query: ListQuery,
      responses: {
        200: { description: 'A page of results (or CSV with format=csv)', schema: { type: 'object', properties: { items: { type: 'array', items: SummarySchema }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } } } },
      },
      handler: ({ query, res }) => {
        const { format, ...q } = query;
        const page = s.store.list(q);
        if (format === 'csv') {
          res.type('text/csv').attachment('results.csv').send(listCsv(page.items));
          return undefined;
        }
        return { ...page, limit: q.limit, offset: q.offset };
      },
    }),
    route({
      method: 'get',
      path: '/api/results/:id',
      summary: 'One Result (live runs give the result so far); format=csv gives the per-second timeline',
      tag: 'results',
      auth: 'engine',
      params: IdParams,
      query: FormatQuery,
      responses: { 200: { description: 'The Result', schema: { type: 'object' } }, 404: { description: 'Unknown test' } },
      handler: ({ params, query, res }) => {
        const live = s.runs.get(params.id)?.snapshot();
        // A running test's tuning decisions are in the store already (appended as they happen).
        const result = live ? withTuning(live, s.store.events(params.id)) : s.store.get(params.id);
        if (!result) throw new ScaleError('not_found', `no result ${params.id}`);
        if (query.format === 'csv') {
          res.type('text/csv').attachment(`${result.id}.csv`).send(timelineCsv(result));
          return undefined;
        }
        return result;
      },
    }),
  ];
}
