import { ValidationError } from '../core/errors.js';
import { safeLine, safeText } from '../core/text.js';
import { builtinScenario } from './builtin-generator.js';
import { estimateCapacity } from './capacity.js';
import { clampSpec, type Adjustment } from './clamp-spec.js';
import { DEFAULT_LLM_TIMEOUT_MS, DEFAULT_MODEL, type GeneratedScenario, type GenerateOptions, type GenerateRequest } from './generation.js';
import { chatJson } from './llm-client.js';
import { LlmError } from './llm-error.js';
import { answerJsonSchema, buildMessages } from './llm-prompt.js';
import { getScenario, unknownScenarioIssue } from './registry.js';

/** The longest rationale kept from a model's answer. */
export const MAX_RATIONALE_CHARS = 4000;

/** OpenAI's API, used when no OPENAI_BASE_URL is configured. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Asks a model for a TestSpec and never returns one unvalidated: the answer is parsed, the
 * requested target is imposed, and the spec is validated by the TestSpec schema and clamped to
 * the limits (clamp-spec.ts), every change listed in `adjustments`.
 */
export async function llmScenario(req: GenerateRequest, o: GenerateOptions & { apiKey: string }): Promise<GeneratedScenario> {
  const scenario = getScenario(req.type);
  if (!scenario) throw new ValidationError([unknownScenarioIssue(req.type, 'type')]);
  // The built-in answer checks the request (a lab-only scenario on a URL is refused before any
  // call) and gives the model a sized starting point.
  const example = builtinScenario(req, o).spec;
  const capacity = estimateCapacity(req.target ?? example.target, o.observedCapacityRps);
  const model = o.model || DEFAULT_MODEL;
  const answer = await chatJson({
    apiKey: o.apiKey,
    baseUrl: o.baseUrl || OPENAI_BASE_URL,
    model,
    timeoutMs: o.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
    messages: buildMessages({ request: req, scenario, capacity, example, limits: o.limits }),
    schema: answerJsonSchema(),
  });
  const { rationale, spec: raw } = parseAnswer(answer.content);
  const adjustments: Adjustment[] = [];
  const draft = imposeTarget(raw, req.target, adjustments);
  const out = clampSpec(draft, o.limits);
  adjustments.push(...out.adjustments);
  if ('issues' in out)
    throw new LlmError('invalid_answer', `the LLM's spec is invalid in ways clamping cannot fix: ${out.issues.length} problem${out.issues.length === 1 ? '' : 's'}`, out.issues);
  // Outside text: shown by the CLI and the plugin, so no control characters and a bounded length.
  const said = safeText(rationale).trim();
  const shown = said.length > MAX_RATIONALE_CHARS ? `${said.slice(0, MAX_RATIONALE_CHARS)}…` : said;
  return { source: 'llm', model: safeLine(answer.model).slice(0, 200), type: scenario.name, spec: out.spec, adjustments, rationale: shown };
}

/** The answer's JSON: `{ rationale, spec }`; a bare spec is accepted too (some servers drop the wrapper). */
export function parseAnswer(content: string): { rationale: string; spec: unknown } {
  // Servers without structured output often fence JSON in markdown even when told not to.
  const text = content.trim().replace(/^```(?:json)?\s*\n?([\s\S]*?)\n?```$/, '$1');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const snippet = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    throw new LlmError('malformed', `the LLM's answer is not valid JSON (${(err as Error).message})`, [{ path: 'llm', message: `malformed: the answer began ${JSON.stringify(snippet)}` }]);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new LlmError('malformed', "the LLM's answer is not a JSON object", [{ path: 'llm', message: 'malformed: expected {"rationale", "spec"}' }]);
  const o = parsed as Record<string, unknown>;
  if ('spec' in o) return { rationale: typeof o.rationale === 'string' ? o.rationale : '', spec: o.spec };
  if ('load' in o || 'target' in o) return { rationale: '', spec: o };
  throw new LlmError('malformed', "the LLM's answer has no spec", [{ path: 'llm', message: 'malformed: expected {"rationale", "spec"}' }]);
}

/**
 * The user's target wins over the model's: with a lab target, the fields the user's target sets
 * replace the model's (its podBehaviour, weights or policyOptions stay when the user set none);
 * any other target replaces the model's whole. Without one, the model may only use the lab:
 * a target the model invented is not one the user asked to send traffic to.
 */
function imposeTarget(raw: unknown, wanted: GenerateRequest['target'], log: Adjustment[]): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const spec = { ...(raw as Record<string, unknown>) };
  const theirs = spec.target as Record<string, unknown> | undefined;
  const isObj = theirs !== null && typeof theirs === 'object' && !Array.isArray(theirs);
  if (!wanted) {
    if (theirs !== undefined && !(isObj && (theirs.kind === 'lab' || theirs.kind === undefined))) {
      spec.target = { kind: 'lab' };
      log.push({ path: 'target', from: theirs, to: spec.target, reason: 'no target was given: the embedded lab is used' });
    }
    return spec;
  }
  if (wanted.kind === 'lab' && isObj && theirs.kind === 'lab') {
    const merged: Record<string, unknown> = { ...theirs };
    for (const [k, v] of Object.entries(wanted)) {
      if (v === undefined || JSON.stringify(theirs[k]) === JSON.stringify(v)) continue;
      if (theirs[k] !== undefined) log.push({ path: `target.${k}`, from: theirs[k], to: v, reason: 'the request sets the target' });
      merged[k] = v;
    }
    spec.target = merged;
    return spec;
  }
  if (theirs !== undefined) log.push({ path: 'target', from: theirs, to: wanted, reason: 'the request sets the target' });
  spec.target = wanted;
  return spec;
}
