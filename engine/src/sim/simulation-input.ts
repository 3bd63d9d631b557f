import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { TestSpecSchema } from '../spec/test-spec.js';
import { toIssues } from '../spec/validate.js';
import { planSimulation } from './plan-simulation.js';
import { planFromTestSpec, type TestSpecSimOptions } from './plan-test-spec.js';
import { SimSpecSchema, SimWorkloadSchema } from './sim-spec.js';
import type { SimPlan } from './sim-plan.js';

/**
 * What a simulation takes, over the API as on the command line: a lab TestSpec or a simulation
 * spec, told apart by one rule, the one `scale simulate --spec` applies to its file: a body with
 * a `target` field is a TestSpec, any other body is a simulation spec.
 */

/** True when `raw` is to be read as a TestSpec. */
export function isTestSpecInput(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) && 'target' in raw;
}

/** For the OpenAPI document: both shapes, and the rule. */
export function simulationInputSchema(workload = false) {
  return z
    .union([
      TestSpecSchema.meta({ title: 'TestSpec', description: 'A lab TestSpec (it has "target"), simulated as the lab would run it' }),
      (workload ? SimWorkloadSchema : SimSpecSchema).meta({ title: 'SimulationSpec', description: 'A simulation spec (no "target")' }),
    ])
    .meta({ description: 'A body with a "target" field is a TestSpec (kind "lab"); any other body is a simulation spec.' });
}

export interface SimulationInputOptions extends TestSpecSimOptions {
  /** A comparison: the simulation spec's policy fields are replaced by each candidate (not checked). */
  workload?: boolean;
  /** Prefix of every issue path ("spec" for the `spec` field of a body). */
  path?: string;
}

/** Validates either shape and plans it; throws a ValidationError listing every problem of the shape it chose. */
export function planSimulationInput(raw: unknown, o: SimulationInputOptions = {}): { plan: SimPlan; testSpec: boolean } {
  const testSpec = isTestSpecInput(raw);
  const schema = testSpec ? TestSpecSchema : o.workload ? SimWorkloadSchema : SimSpecSchema;
  const r = schema.safeParse(raw);
  const prefix = (p: string) => (o.path ? (p ? `${o.path}.${p}` : o.path) : p);
  if (!r.success) throw new ValidationError(toIssues(r.error).map((i) => ({ ...i, path: prefix(i.path) })));
  try {
    const plan = testSpec ? planFromTestSpec(r.data as z.output<typeof TestSpecSchema>, o) : planSimulation(r.data as z.output<typeof SimSpecSchema>);
    return { plan, testSpec };
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(err.details.map((i) => ({ ...i, path: prefix(i.path) })));
    throw err;
  }
}
