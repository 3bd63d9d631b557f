import { planSimulation } from '../../sim/plan-simulation.js';
import { API_SIM_LIMITS, limitForApi } from '../../sim/sim-limits.js';
import { SimSpecSchema, type SimSpec } from '../../sim/sim-spec.js';
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

/** `POST /api/simulate`: a balancer simulated in virtual time (no sockets), answered in seconds. */
export function simulateRoutes(_s: Services): RouteDef[] {
  return [
    route<SimSpec, unknown, unknown>({
      method: 'post',
      path: '/api/simulate',
      summary: 'Simulate a balancer in virtual time and get the Result a live run would give',
      description:
        `The body is a simulation spec (every field has a default; unknown fields and every invalid value are reported at once). ` +
        `Deterministic for a given seed. At most ${API_SIM_LIMITS.maxRequests.toLocaleString('en-US')} simulated requests per call ` +
        `(a larger workload is refused with limit_exceeded; the CLI \`scale simulate\` has no limit). The engine keeps serving while it simulates.`,
      tag: 'simulation',
      auth: 'engine',
      body: SimSpecSchema,
      responses: {
        200: { description: 'The simulated Result', schema: AnswerSchema },
        400: { description: 'Invalid spec, or more than the request cap (limit_exceeded)' },
      },
      handler: async ({ body }) => {
        const asked = planSimulation(body);
        const plan = limitForApi(asked);
        const outcome = await simulateAsync(plan);
        // The cap (not the spec) ended it: say so, as a live run stopped early says `stopped`.
        if (plan.maxRequests < asked.maxRequests && outcome.simulatedRequests >= plan.maxRequests) outcome.result.status = 'stopped';
        return simulationAnswer(outcome, plan);
      },
    }),
  ];
}
