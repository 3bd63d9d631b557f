import { z } from 'zod';
import { ScaleError } from '../../core/errors.js';
import { generateOptionsFromConfig, generateScenario, GenerateRequestSchema } from '../../scenarios/generate.js';
import { getScenario, listScenarios, scenarioInfo, scenarioSpec } from '../../scenarios/registry.js';
import { TestSpecSchema, type TestSpecInput } from '../../spec/test-spec.js';
import { parseTestSpec } from '../../spec/validate.js';
import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

const ParamInfoSchema = z.object({
  name: z.string(),
  type: z.enum(['number', 'integer', 'duration', 'distribution', 'enum']),
  description: z.string(),
  default: z.unknown(),
  minimum: z.union([z.number(), z.string()]).optional(),
  maximum: z.union([z.number(), z.string()]).optional(),
  values: z.array(z.string()).optional(),
});

const ScenarioInfoSchema = z.object({
  name: z.string().meta({ description: 'kebab-case name, for `scale run --scenario` and the routes below' }),
  title: z.string(),
  description: z.string().meta({ description: 'what the scenario tests' }),
  lookFor: z.string().meta({ description: 'what to look for in the results' }),
  labOnly: z.boolean().meta({ description: 'true when it shapes lab pods and needs the lab target' }),
  parameters: z.array(ParamInfoSchema),
  example: z.record(z.string(), z.unknown()).meta({ description: 'the TestSpec with the default parameters' }),
});

const AdjustmentSchema = z.object({ path: z.string(), from: z.unknown(), to: z.unknown().meta({ description: 'null when the field was removed' }), reason: z.string() });

const GeneratedSchema = z.object({
  source: z.enum(['builtin', 'llm']),
  model: z.string().optional().meta({ description: 'the model that answered (source llm)' }),
  type: z.string(),
  spec: TestSpecSchema,
  adjustments: z.array(AdjustmentSchema),
  rationale: z.string(),
});

const NameParams = z.strictObject({ name: z.string().min(1).max(100) });

const SpecRequestSchema = z.strictObject({
  /** Parameter values (numbers, or strings as the CLI sends them); defaults for the rest. */
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** A spec the scenario is laid over (target, request, thresholds...), as `scale run --spec`. */
  base: z.record(z.string(), z.unknown()).optional(),
});

/** The scenario library and scenario generation (issue 5). */
export function scenarioRoutes(s: Services): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/api/scenarios',
      summary: 'The built-in scenarios, with their parameters and an example spec',
      tag: 'scenarios',
      auth: 'engine',
      responses: { 200: { description: 'The library', schema: z.object({ scenarios: z.array(ScenarioInfoSchema) }) } },
      handler: () => ({ scenarios: listScenarios().map(scenarioInfo) }),
    }),
    route({
      method: 'post',
      path: '/api/scenarios/:name/spec',
      summary: 'The TestSpec of one scenario with the given parameters, ready for /api/load-test/start',
      description: 'Every bad parameter and every problem with the base spec is listed at once. The base supplies what the scenario does not set; a non-lab base target replaces the lab.',
      tag: 'scenarios',
      auth: 'engine',
      params: NameParams,
      body: SpecRequestSchema,
      responses: { 200: { description: 'The spec, defaults filled', schema: z.object({ spec: TestSpecSchema }) }, 404: { description: 'No such scenario' } },
      handler: ({ params, body }) => {
        if (!getScenario(params.name)) throw new ScaleError('not_found', `no scenario "${params.name}" (GET /api/scenarios lists them)`);
        return { spec: parseTestSpec(scenarioSpec(params.name, body.params, body.base as TestSpecInput | undefined)) };
      },
    }),
    route({
      method: 'post',
      path: '/api/scenario/generate',
      summary: 'Generate a TestSpec for a scenario type (LLM when OPENAI_API_KEY is set, else the built-in generator)',
      description:
        'The answer says where it came from (`source`: `llm` with the `model`, or `builtin`). An LLM answer is validated by the TestSpec schema and clamped to the limits; `adjustments` lists every change. LLM failures (timeout, refused key, rate limit after one retry, malformed answer) are errors whose details name the reason.',
      tag: 'scenarios',
      auth: 'engine',
      body: GenerateRequestSchema,
      responses: { 200: { description: 'A validated spec and how it was made', schema: GeneratedSchema }, 500: { description: 'The LLM failed (details[0].message starts with the reason)' } },
      handler: ({ body }) => generateScenario(body, generateOptionsFromConfig(s.config)),
    }),
  ];
}
