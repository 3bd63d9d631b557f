import { z } from 'zod';
import { FAULT_TYPES } from '../../chaos/fault.js';
import type { FaultManager } from '../../chaos/fault-manager.js';
import { FaultInjectSchema, type FaultRequestInput } from '../../chaos/fault-spec.js';
import { ScaleError } from '../../core/errors.js';
import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

/** What the failure routes need: the runs (to tell an unknown test from a finished one) and the engine's FaultManager. */
export type FailureServices = Pick<Services, 'runs'> & { faults: FaultManager };

const IdParams = z.strictObject({ id: z.string().min(1).max(100) });
const ListQuery = z.strictObject({
  testId: z.string().min(1).max(100).optional(),
  state: z.enum(['active', 'ended', 'failed']).optional(),
});

const FaultRecordSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    testId: { type: 'string' },
    type: { type: 'string', enum: [...FAULT_TYPES] },
    severity: { type: 'string', enum: ['low', 'medium', 'high'] },
    pods: { type: 'array', items: { type: 'string' } },
    params: { type: 'object', description: 'resolved parameters (severity presets filled in)' },
    source: { type: 'string', enum: ['spec', 'api'] },
    state: { type: 'string', enum: ['active', 'ended', 'failed'] },
    startedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    endedAt: { type: 'string', format: 'date-time', nullable: true },
    endReason: { type: 'string', enum: ['expired', 'removed', 'test-ended', 'test-stopped', 'shutdown', 'reconciled', 'failed'] },
    error: { type: 'string' },
  },
};

/** `POST /api/failure/inject`, `GET /api/failures`, `DELETE /api/failure/{id}`. */
export function failureRoutes(s: FailureServices): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/failure/inject',
      summary: 'Inject a fault into a running lab or kubernetes test',
      description:
        'Every fault has a TTL (`duration`, default 30s) and is rolled back when it expires, when it is removed, when the test stops or ends, and on engine shutdown. Parameters left out come from `severity` (low/medium/high). A fault on an unknown pod or with an out-of-range value is refused with 400 and changes nothing.',
      tag: 'faults',
      auth: 'engine',
      body: FaultInjectSchema,
      status: 201,
      responses: {
        201: { description: 'Injected', schema: FaultRecordSchema },
        404: { description: 'Unknown or finished test' },
        409: { description: 'Overlaps an active fault of the same type on a pod, or the test is still starting' },
      },
      handler: async ({ body }) => {
        const { testId, ...fault } = body;
        const run = s.runs.get(testId);
        if (!run || (run.status !== 'running' && run.status !== 'starting')) throw new ScaleError('not_found', `no running test ${testId}`);
        if (run.spec.target.kind === 'url')
          throw new ScaleError('invalid_input', 'faults need a lab or kubernetes target', [{ path: 'testId', message: `test ${testId} has a ${run.spec.target.kind} target` }]);
        if (!s.faults.attached(testId)) throw new ScaleError('conflict', `test ${testId} is still starting; try again in a moment`);
        return s.faults.inject(testId, fault as FaultRequestInput, 'api');
      },
    }),
    route({
      method: 'get',
      path: '/api/failures',
      summary: 'Active and recently ended faults',
      tag: 'faults',
      auth: 'engine',
      query: ListQuery,
      responses: { 200: { description: 'Faults, oldest first', schema: { type: 'object', properties: { faults: { type: 'array', items: FaultRecordSchema } } } } },
      handler: ({ query }) => ({ faults: s.faults.list(query) }),
    }),
    route({
      method: 'delete',
      path: '/api/failure/:id',
      summary: 'End a fault now (rolled back); an ended fault is returned as it is',
      tag: 'faults',
      auth: 'engine',
      params: IdParams,
      responses: { 200: { description: 'Ended', schema: FaultRecordSchema }, 404: { description: 'Unknown fault' } },
      handler: ({ params }) => s.faults.remove(params.id),
    }),
  ];
}
