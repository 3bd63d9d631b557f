import type { z } from 'zod';
import type { TestSpecInput } from '../spec/test-spec.js';

/**
 * A built-in scenario: a parameterised TestSpec template with a description of what it tests and
 * what to look for in the results. Registered by a kebab-case name (as k6 registers executors).
 */
export interface Scenario<P extends z.ZodType = z.ZodType> {
  /** Kebab-case name used by `scale run --scenario NAME` and the API. */
  name: string;
  /** Display name ("Spike"). */
  title: string;
  /** What the scenario reproduces and why it matters for a balancer. */
  description: string;
  /** What to look for in the results (score, shares, p99, errors) and what a good balancer does. */
  lookFor: string;
  /**
   * True when the scenario needs the embedded lab (it shapes pods: slowness, restarts, scale-up);
   * the others apply their load shape to any target.
   */
  labOnly: boolean;
  /** Parameters with defaults and ranges; values may arrive as strings (CLI). */
  params: P;
  /** The TestSpec for validated parameters (a lab target unless a base spec replaces it). */
  build(params: z.output<P>): TestSpecInput;
  /**
   * Parameter values for a target that serves about `capacityRps` requests per second, used by the
   * built-in generator; values outside a parameter's range are clamped by the caller.
   */
  fromCapacity?(capacityRps: number): Record<string, number>;
}

/** Declares a scenario with its parameter types inferred, then erases them for the registry. */
export function defineScenario<P extends z.ZodType>(s: Scenario<P>): Scenario {
  return s as unknown as Scenario;
}
