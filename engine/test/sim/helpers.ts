import { parseSimSpec, planSimulation } from '../../src/sim/plan-simulation.js';
import { planFromTestSpec, type TestSpecSimOptions } from '../../src/sim/plan-test-spec.js';
import type { SimSpecInput } from '../../src/sim/sim-spec.js';
import { simulate, type SimOutcome } from '../../src/sim/simulate.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import type { Result } from '../../src/core/result.js';

/** Validates, plans and simulates a simulation spec. */
export function sim(input: SimSpecInput): SimOutcome {
  return simulate(planSimulation(parseSimSpec(input)));
}

/** Simulates a lab TestSpec (validated as `scale run --spec` would). */
export function simSpec(input: unknown, options?: TestSpecSimOptions): SimOutcome {
  return simulate(planFromTestSpec(parseTestSpec(input), options));
}

/** Mean time in system in units of the mean service time. */
export function meanInServiceTimes(r: Result, serviceMs: number): number {
  return (r.latency.mean * 1000) / serviceMs;
}

export function podOf(r: Result, name: string) {
  const p = r.pods.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name} in the result`);
  return p;
}

/** Relative error of `got` against `want`. */
export const relErr = (got: number, want: number): number => Math.abs(got - want) / want;
