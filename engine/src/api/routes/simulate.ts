import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { API_SIM_LIMITS, limitForApi } from '../../sim/sim-limits.js';
import { SIM_LIMITS } from '../../sim/sim-spec.js';
import { isTestSpecInput, planSimulationInput, simulationInputSchema } from '../../sim/simulation-input.js';
import { simulateAsync, simulationAnswer } from '../../sim/simulate.js';
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

/** A TestSpec only: what a simulation adds to it (a live lab has one balancer). */
const SimulateQuery = z.strictObject({
  balancers: z.coerce.number().int().min(1).max(SIM_LIMITS.maxBalancers).optional().meta({ description: 'with a TestSpec body: independent balancer instances (default 1, as the lab)' }),
  spread: z.enum(['round-robin', 'random']).optional().meta({ description: 'with a TestSpec body: how requests reach the balancers' }),
});

/** `POST /api/simulate`: a balancer simulated in virtual time (no sockets), answered in seconds. */
export function simulateRoutes(_s: Services): RouteDef[] {
  return [
    route<unknown, z.output<typeof SimulateQuery>, unknown>({
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
      body: simulationInputSchema(),
      // Validated in the handler: which schema applies depends on the body (and the query).
      parseBody: (raw) => raw,
      query: SimulateQuery,
      responses: {
        200: { description: 'The simulated Result', schema: AnswerSchema },
        400: { description: 'Invalid spec, or more than the request cap (limit_exceeded)' },
      },
      handler: async ({ body, query }) => {
        if (!isTestSpecInput(body) && (query.balancers !== undefined || query.spread !== undefined))
          throw new ValidationError([{ path: query.balancers !== undefined ? 'balancers' : 'spread', message: 'only with a TestSpec body; a simulation spec sets it in the body' }]);
        const asked = planSimulationInput(body, { balancers: query.balancers, spread: query.spread }).plan;
        const plan = limitForApi(asked);
        const outcome = await simulateAsync(plan);
        // The cap (not the spec) ended it: say so, as a live run stopped early says `stopped`.
        if (plan.maxRequests < asked.maxRequests && outcome.simulatedRequests >= plan.maxRequests) outcome.result.status = 'stopped';
        return simulationAnswer(outcome, plan);
      },
    }),
  ];
}
