import { z } from 'zod';
import { ScaleError } from '../../core/errors.js';
import type { RunDeps } from '../../runs/test-run.js';
import { TestSpecSchema } from '../../spec/test-spec.js';
import type { AutoTuner } from '../../tuning/auto-tuner.js';
import { recommendForSpec } from '../../tuning/tune-spec.js';
import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

/** The objective's overrides (tuning/objective.ts); every field optional. */
const ObjectiveBody = z.strictObject({
  p99LimitMs: z.number().positive().max(600_000).optional(),
  maxP99Ratio: z.number().min(1).max(100).optional(),
  p99SlackMs: z.number().min(0).max(60_000).optional(),
  errorRateLimit: z.number().min(0).max(1).optional(),
  tieTolerance: z.number().min(0).max(1).optional(),
});

const EnableBody = z.strictObject({
  /** Only this running test; default every running lab test and those started later. */
  testId: z.string().min(1).max(100).optional(),
  /** Recommend without applying. */
  dryRun: z.boolean().optional(),
  objective: ObjectiveBody.optional(),
  /** Consecutive imbalanced windows before re-tuning. */
  windows: z.int().min(1).max(600).optional(),
  /** Minimum ms between two tunings of one test. */
  cooldown: z.int().min(0).max(3_600_000).optional(),
});

const RecommendBody = z.union([
  z.strictObject({ testId: z.string().min(1).max(100), objective: ObjectiveBody.optional() }),
  z.strictObject({ spec: TestSpecSchema, objective: ObjectiveBody.optional() }),
]);

const Obj = { type: 'object' };

/**
 * The auto-tuner's API (issue 4): enable/disable the closed loop, its state and decisions, and
 * a dry-run recommendation for a running test or a TestSpec. `runDeps` opens the fresh labs the
 * verification runs use.
 */
export function tuningRoutes(s: Services, tuner: AutoTuner, runDeps: RunDeps): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/tuning/enable',
      summary: 'Enable the closed-loop auto-tuner for running lab tests and kubernetes tests with a balancer (or one test)',
      description: 'On sustained imbalance (utilisation view when known) the tuner fits a pod model, simulates candidates, verifies the best three on fresh labs and applies the measured winner, with a cool-down. Decisions are stored with the run (event type `tuning`).',
      tag: 'tuning',
      auth: 'engine',
      body: EnableBody,
      responses: { 200: { description: 'Tuner state', schema: Obj }, 404: { description: 'Unknown test' }, 409: { description: 'Test not running' } },
      handler: ({ body }) => tuner.enable({ testId: body.testId, dryRun: body.dryRun, objective: body.objective, windows: body.windows, cooldownMs: body.cooldown }),
    }),
    route({
      method: 'post',
      path: '/api/tuning/disable',
      summary: 'Disable the auto-tuner and revert every setting it applied to a running test',
      tag: 'tuning',
      auth: 'engine',
      responses: { 200: { description: 'What was reverted, and the state', schema: Obj } },
      handler: async () => ({ reverted: await tuner.disable(), state: tuner.state() }),
    }),
    route({
      method: 'get',
      path: '/api/tuning',
      summary: 'Tuner state and recent decisions (predicted vs measured numbers)',
      tag: 'tuning',
      auth: 'engine',
      responses: { 200: { description: 'State', schema: Obj } },
      handler: () => tuner.state(),
    }),
    route({
      method: 'post',
      path: '/api/tuning/recommend',
      summary: 'Dry-run recommendation for a running lab test ({testId}) or a TestSpec ({spec})',
      description: 'Applies nothing. With a spec: a short baseline run on a fresh lab, then fit, simulate and verify (about 15 s).',
      tag: 'tuning',
      auth: 'engine',
      body: RecommendBody,
      responses: { 200: { description: 'The decision (action dry-run, kept or recommended)', schema: Obj }, 404: { description: 'Unknown test' }, 409: { description: 'Test not running' } },
      handler: async ({ body }) => {
        if ('testId' in body) {
          const run = s.runs.get(body.testId);
          if (!run) throw new ScaleError('not_found', `no running test ${body.testId}`);
          if (run.status !== 'running') throw new ScaleError('conflict', `test ${body.testId} is ${run.status}, not running`);
          return tuner.tuneRun(run, { dryRun: true, objective: body.objective, trigger: 'recommend' });
        }
        if (body.spec.target.kind !== 'lab') throw new ScaleError('invalid_input', 'only a lab spec can be tuned', [{ path: 'spec.target.kind', message: 'must be "lab"' }]);
        return (await recommendForSpec(body.spec, runDeps, { objective: body.objective })).decision;
      },
    }),
  ];
}
