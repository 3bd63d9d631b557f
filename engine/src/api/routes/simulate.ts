import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { planSimulation } from '../../sim/plan-simulation.js';
import { planFromTestSpec } from '../../sim/plan-test-spec.js';
import { API_SIM_LIMITS, limitForApi } from '../../sim/sim-limits.js';
import { SIM_LIMITS, SimSpecSchema, type SimSpec } from '../../sim/sim-spec.js';
import { simulateAsync, simulationAnswer } from '../../sim/simulate.js';
import { TestSpecSchema, type TestSpec } from '../../spec/test-spec.js';
import { parseWith } from '../../spec/validate.js';
import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

const AnswerSchema = {
  type: 'object',
  description:
    'The Result of a live run (totals, errorsByKind, latency in virtual seconds, pods with shares and busy fraction, balance, thresholds, one timeline point per virtual window), plus the simulator\'s figures.',
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['finished', 'stopped'], description: 'stopped: the request cap cut the run' },
    totals: { type: 'object' },
    latency: { type: 'object' },
    pods: { type: 'array', items: { type: 'object' } },
    balance: { type: 'object' },
    thresholds: { type: 'array', items: { type: 'object' } },
    timeline: { type: 'array', items: { type: 'object' } },
    simulatedRequestsPerSecond: { type: 'number', description: 'requests simulated per wall-clock second' },
    simulation: { type: 'object', description: 'requests, events, virtualSeconds, wallSeconds, balancers, mode, seed, notSimulated (faults of a TestSpec the simulator does not model)' },
  },
};

/**
 * The body: a TestSpec or a simulation spec, told apart by `target` (only a TestSpec has one),
 * the same rule `scale simulate --spec` applies to its file.
 */
const SimulateBody = z
  .union([TestSpecSchema.meta({ title: 'TestSpec', description: 'A lab TestSpec (it has "target"), simulated as the lab would run it' }), SimSpecSchema.meta({ title: 'SimulationSpec', description: 'A simulation spec (no "target")' })])
  .meta({ description: 'A body with a "target" field is a TestSpec (kind "lab"); any other body is a simulation spec.' });

type Body = { kind: 'test'; spec: TestSpec } | { kind: 'sim'; spec: SimSpec };

/** A TestSpec only: what a simulation adds to it (a live lab has one balancer). */
const SimulateQuery = z.strictObject({
  balancers: z.coerce.number().int().min(1).max(SIM_LIMITS.maxBalancers).optional().meta({ description: 'with a TestSpec body: independent balancer instances (default 1, as the lab)' }),
  spread: z.enum(['round-robin', 'random']).optional().meta({ description: 'with a TestSpec body: how requests reach the balancers' }),
});

function parseBody(raw: unknown): Body {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'target' in raw) return { kind: 'test', spec: parseWith(TestSpecSchema, raw) };
  return { kind: 'sim', spec: parseWith(SimSpecSchema, raw) };
}

/** `POST /api/simulate`: a balancer simulated in virtual time (no sockets), answered in seconds. */
export function simulateRoutes(_s: Services): RouteDef[] {
  return [
    route<Body, z.output<typeof SimulateQuery>, unknown>({
      method: 'post',
      path: '/api/simulate',
      summary: 'Simulate a balancer in virtual time and get the Result a live run would give',
      description:
        `The body is either a lab TestSpec (a body with a "target" field: the same spec \`POST /api/load-test/start\` and \`scale simulate --spec\` take, ` +
        `simulated as the lab would run it; \`?balancers=\` and \`?spread=\` add balancer replicas) or a simulation spec (no "target"; every field has a default). ` +
        `Unknown fields and every invalid value are reported at once. Deterministic for a given seed. At most ${API_SIM_LIMITS.maxRequests.toLocaleString('en-US')} simulated requests per call ` +
        `(a larger workload is refused with limit_exceeded; the CLI \`scale simulate\` has no limit). The engine keeps serving while it simulates.`,
      tag: 'simulation',
      auth: 'engine',
      body: SimulateBody as unknown as z.ZodType<Body>,
      parseBody,
      query: SimulateQuery,
      responses: {
        200: { description: 'The simulated Result', schema: AnswerSchema },
        400: { description: 'Invalid spec, or more than the request cap (limit_exceeded)' },
      },
      handler: async ({ body, query }) => {
        if (body.kind === 'sim' && (query.balancers !== undefined || query.spread !== undefined))
          throw new ValidationError([{ path: query.balancers !== undefined ? 'balancers' : 'spread', message: 'only with a TestSpec body; a simulation spec sets it in the body' }]);
        const asked = body.kind === 'test' ? planFromTestSpec(body.spec, { balancers: query.balancers, spread: query.spread }) : planSimulation(body.spec);
        const plan = limitForApi(asked);
        const outcome = await simulateAsync(plan);
        // The cap (not the spec) ended it: say so, as a live run stopped early says `stopped`.
        if (plan.maxRequests < asked.maxRequests && outcome.simulatedRequests >= plan.maxRequests) outcome.result.status = 'stopped';
        return simulationAnswer(outcome, plan);
      },
    }),
  ];
}
