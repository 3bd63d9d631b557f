import { z } from 'zod';
import { ScaleError, ValidationError, type Issue } from '../../core/errors.js';
import { POLICY_NAMES } from '../../policies/policy.js';
import { compareCandidates, comparePoliciesAsync, RANK_BY } from '../../sim/compare.js';
import { API_SIM_LIMITS, estimateRequests, limitForApi } from '../../sim/sim-limits.js';
import { planSimulationInput, simulationInputSchema } from '../../sim/simulation-input.js';
import { toIssues } from '../../spec/validate.js';
import type { SimPlan } from '../../sim/sim-plan.js';
import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

/** The body of `POST /api/compare`: the flags of `scale compare`, with the workload as a simulation spec. */
export const CompareRequestSchema = z.strictObject({
  /** The workload every policy is simulated under: a lab TestSpec or a simulation spec (as the body of POST /api/simulate). */
  spec: simulationInputSchema(true),
  /** Policies to compare; default every policy. */
  policies: z.array(z.enum(POLICY_NAMES)).min(1).max(POLICY_NAMES.length).optional(),
  /** power-of-two and peak-ewma: candidate counts d, one row per value. */
  choices: z.array(z.int().min(1).max(16)).min(1).max(8).optional(),
  /** What the table is ranked by (sim/compare.ts RankBy): the balance objective by default. */
  rankBy: z.enum(RANK_BY).default('balance'),
});
export type CompareRequest = Omit<z.infer<typeof CompareRequestSchema>, 'spec'> & { plan: SimPlan };

/** The request with its workload left raw: planSimulationInput validates it as the shape it is. */
const ParsedRequest = CompareRequestSchema.extend({ spec: z.unknown() });

/** Validates the request and plans its workload, every problem of both listed at once. */
function parseCompare(raw: unknown): CompareRequest {
  const issues: Issue[] = [];
  const r = ParsedRequest.safeParse(raw);
  if (!r.success) issues.push(...toIssues(r.error).filter((i) => i.path !== 'spec'));
  let plan: SimPlan | undefined;
  try {
    plan = planSimulationInput((raw as { spec?: unknown } | null)?.spec, { workload: true, path: 'spec' }).plan;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    issues.push(...err.details);
  }
  if (issues.length > 0 || !r.success || !plan) throw new ValidationError(issues);
  const { spec: _spec, ...rest } = r.data;
  return { ...rest, plan };
}

const RowSchema = {
  type: 'object',
  properties: {
    rank: { type: 'integer' },
    label: { type: 'string' },
    policy: { type: 'string' },
    policyOptions: { type: 'object' },
    score: { type: 'number', description: 'the balance score on `basis`' },
    verdict: { type: 'string' },
    basis: { type: 'string', enum: ['utilisation', 'requests'] },
    requestScore: { type: 'number' },
    utilisation: { type: 'number', nullable: true },
    p50: { type: 'number', description: 'seconds (virtual)' },
    p99: { type: 'number', description: 'seconds (virtual)' },
    errorRate: { type: 'number' },
    requests: { type: 'integer' },
    pass: { type: 'boolean', description: 'every threshold of the workload passed (does not reorder the table)' },
    feasible: { type: 'boolean', description: 'ranked by balance: p99 within 2x the best (+5 ms) and errors near the best' },
    violations: { type: 'array', items: { type: 'string' } },
    simulatedRequestsPerSecond: { type: 'number' },
  },
};

/** `POST /api/compare`: one workload simulated under every policy and ranked, as `scale compare`. */
export function compareRoutes(_s: Services): RouteDef[] {
  return [
    route<CompareRequest, unknown, unknown>({
      method: 'post',
      path: '/api/compare',
      summary: 'The same simulated workload under every policy, ranked (scale compare)',
      description:
        `Every candidate sees the same arrivals (same seed). Ranked by balance (the tuner's objective: the balance score among the policies whose p99 and error rate are near the best), or by one figure (utilisation, requests, p99); thresholds do not reorder the table. ` +
        `At most ${API_SIM_LIMITS.maxRequests.toLocaleString('en-US')} simulated requests in all candidates together (limit_exceeded otherwise). The engine keeps serving while it simulates.`,
      tag: 'simulation',
      auth: 'engine',
      body: CompareRequestSchema as unknown as z.ZodType<CompareRequest>,
      parseBody: parseCompare,
      responses: {
        200: { description: 'The ranked table', schema: { type: 'object', properties: { rankBy: { type: 'string' }, rows: { type: 'array', items: RowSchema } } } },
        400: { description: 'Invalid spec, or more than the request cap in all (limit_exceeded)' },
      },
      handler: async ({ body }) => {
        const candidates = compareCandidates(body.policies ?? POLICY_NAMES, { choices: body.choices });
        const plan = limitForApi(body.plan);
        const total = estimateRequests(plan) * candidates.length;
        if (total > API_SIM_LIMITS.maxRequests)
          throw new ScaleError('limit_exceeded', `comparing ${candidates.length} candidates would simulate about ${Math.round(total).toLocaleString('en-US')} requests; the API simulates at most ${API_SIM_LIMITS.maxRequests.toLocaleString('en-US')} in all`, [
            { path: 'spec', message: 'shorten the workload or compare fewer policies' },
          ]);
        return { rankBy: body.rankBy, rows: await comparePoliciesAsync(plan, candidates, body.rankBy) };
      },
    }),
  ];
}
