import { z } from 'zod';
import type { RunLimits } from '../spec/limits.js';
import { TargetSpec, type TestSpec } from '../spec/test-spec.js';
import type { Adjustment } from './clamp-spec.js';
import { getScenario, listScenarios, normaliseScenarioName } from './registry.js';

/** Shapes shared by the two generators (built-in and LLM) and their callers. */

/** Body of `POST /api/scenario/generate` and the options of `scale scenarios generate`. */
export const GenerateRequestSchema = z.strictObject({
  /** A scenario name ("spike"); display names ("Gradual Ramp") are accepted. */
  type: z
    .string()
    .min(1)
    .max(100)
    .transform(normaliseScenarioName)
    .refine((t) => getScenario(t) !== undefined, {
      message: `unknown scenario type (known: ${listScenarios()
        .map((s) => s.name)
        .join(', ')})`,
    })
    .meta({ description: 'scenario type: a built-in scenario name, e.g. spike' }),
  /** Free text for the LLM ("a flash sale at noon on the checkout path"); unused by the built-in generator. */
  description: z.string().max(4000).optional(),
  /** The target to test; the embedded lab with its defaults when omitted. */
  target: TargetSpec.optional(),
});

export type GenerateRequestInput = z.input<typeof GenerateRequestSchema>;
export type GenerateRequest = z.output<typeof GenerateRequestSchema>;

/** Where the answer came from and what it is. */
export interface GeneratedScenario {
  /** `llm` when a model wrote the spec, `builtin` when the deterministic generator did. */
  source: 'builtin' | 'llm';
  /** The model that answered (LLM only), as the server reported it. */
  model?: string;
  /** The scenario type the spec was generated for (kebab-case). */
  type: string;
  /** Validated, defaults filled, within the limits: ready for `POST /api/load-test/start`. */
  spec: TestSpec;
  /** Every change made to bring the spec within the limits, in order. */
  adjustments: Adjustment[];
  /** Why the spec looks the way it does (the model's words, or the built-in sizing). */
  rationale: string;
}

export interface GenerateOptions {
  /** OpenAI (or compatible) API key; without one the built-in generator answers. */
  apiKey?: string;
  /** Base URL of an OpenAI-compatible API ("http://127.0.0.1:8080/v1"); OpenAI's when omitted. */
  baseUrl?: string;
  /** Model name; DEFAULT_MODEL when omitted. */
  model?: string;
  /** Time allowed for one request to the model, in ms (DEFAULT_LLM_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Requests per second the target has been seen to serve; sizes the scenario when given. */
  observedCapacityRps?: number;
  /** This engine's caps (env MAX_*): the spec is clamped to them too, so it will start. */
  limits?: RunLimits;
}

export const DEFAULT_MODEL = 'gpt-4o-mini';
export const DEFAULT_LLM_TIMEOUT_MS = 30_000;
