import type { EngineConfig } from '../config/config.js';
import type { RunLimits } from '../spec/limits.js';
import { parseWith } from '../spec/validate.js';
import { builtinScenario } from './builtin-generator.js';
import { GenerateRequestSchema, type GeneratedScenario, type GenerateOptions, type GenerateRequestInput } from './generation.js';
import { llmScenario } from './llm-generator.js';

export { GenerateRequestSchema, DEFAULT_LLM_TIMEOUT_MS, DEFAULT_MODEL } from './generation.js';
export type { GeneratedScenario, GenerateOptions, GenerateRequest, GenerateRequestInput } from './generation.js';
export type { Adjustment } from './clamp-spec.js';
export { LlmError, type LlmFailure } from './llm-error.js';

/**
 * Generates a TestSpec for a scenario type: by an LLM when an API key is configured
 * (`source: "llm"` and the model's name), else by the deterministic built-in generator
 * (`source: "builtin"`). Either way the spec is validated and within the limits. Throws a
 * ValidationError for a bad request and an LlmError (with a `reason`) when the model fails.
 */
export async function generateScenario(request: GenerateRequestInput, options: GenerateOptions = {}): Promise<GeneratedScenario> {
  const req = parseWith(GenerateRequestSchema, request);
  if (options.apiKey) return llmScenario(req, { ...options, apiKey: options.apiKey });
  return builtinScenario(req, options);
}

/** The generator's options from the engine configuration (OPENAI_* and the MAX_* caps). */
export function generateOptionsFromConfig(config: EngineConfig): GenerateOptions {
  const limits: RunLimits = { maxUsers: config.MAX_USERS, maxRate: config.MAX_RATE, maxDurationMs: config.MAX_DURATION, maxPods: config.MAX_PODS };
  return { apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL, limits };
}
