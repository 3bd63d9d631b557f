import { z } from 'zod';
import type { RunLimits } from '../spec/limits.js';
import { LIMITS } from '../spec/limits.js';
import { TestSpecSchema, type TestSpec } from '../spec/test-spec.js';
import type { CapacityEstimate } from './capacity.js';
import type { GenerateRequest } from './generation.js';
import type { Scenario } from './scenario.js';

/**
 * What the model is asked, and the JSON schema its answer must follow. The schema is derived
 * from the TestSpec zod schema (the one the API validates with), wrapped with a rationale.
 */

const AnswerSchema = z.strictObject({
  rationale: z.string().describe('two or three sentences: why this spec tests the requested scenario, and what to look for'),
  spec: TestSpecSchema,
});

let answerSchema: Record<string, unknown> | undefined;

/**
 * The answer's JSON Schema, as the spec is written (defaults optional). Used with `strict: false`:
 * OpenAI's strict mode needs every field required and nullable, which the TestSpec is not (and
 * openai's zodResponseFormat refuses it); the answer is validated by our own schema anyway.
 */
export function answerJsonSchema(): Record<string, unknown> {
  if (!answerSchema) {
    const s = z.toJSONSchema(AnswerSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete s.$schema;
    answerSchema = s;
  }
  return answerSchema;
}

export interface PromptInput {
  request: GenerateRequest;
  scenario: Scenario;
  capacity: CapacityEstimate;
  /** The built-in generator's spec for the same request: a sized starting point. */
  example: TestSpec;
  limits?: RunLimits;
}

/** The system and user messages. */
export function buildMessages(p: PromptInput): Array<{ role: 'system' | 'user'; content: string }> {
  const l = p.limits;
  const system = [
    'You design load tests for Scale, a tester that checks whether a load balancer spreads traffic evenly across Kubernetes pods.',
    'Answer with one JSON object: {"rationale": string, "spec": TestSpec}, following the JSON schema you were given. No prose outside the JSON, no code fences.',
    'TestSpec notes:',
    '- Durations are strings with units: "250ms", "10s", "2m". Distributions: "exp:20ms" (mean), "fixed:5ms", "lognormal:20ms,0.5", "uniform:10ms,30ms".',
    '- load is either {"model":"open","stages":[{"rate":N,"duration":"10s","ramp":false}]} (arrivals per second; ramp=true ramps linearly from the previous stage) or {"model":"closed","users":N,"spawnRate":N,"duration":"60s","thinkTime":"exp:100ms"}.',
    '- A lab target ({"kind":"lab"}) runs pods pod-1..pod-N on this machine; podBehaviour entries set latency, errorRate, concurrency per pod (or all pods when "pods" is omitted).',
    '- mode "l4" balances per connection (as kube-proxy), "l7" per request; connections.requestsPerConnection > 0 recycles connections.',
    '- faults (lab targets only) are injected at "at" from the load start for "duration": types latency (delay), errors (rate, status), pod-failure, partition, connection-reset (rate), bandwidth (bytesPerSecond), scale-up and scale-down; choose pods by "pods": ["pod-2"], "count" or "percent"; "severity" low|medium|high fills in what you leave out.',
    `- Limits: users <= ${l?.maxUsers ?? LIMITS.maxUsers}, rate <= ${l?.maxRate ?? LIMITS.maxRate}/s, total duration <= ${(l?.maxDurationMs ?? LIMITS.maxDurationMs) / 1000}s, pods <= ${l?.maxPods ?? LIMITS.maxPods}. Values beyond them are cut.`,
    '- Omit fields you do not need: every field has a default. Unknown fields are removed.',
    '',
    `Scenario "${p.scenario.name}" (${p.scenario.title}): ${p.scenario.description}`,
    `What to look for: ${p.scenario.lookFor}`,
    `Target capacity: ${p.capacity.basis}. Size rates and users from it.`,
    p.request.target
      ? `The target is fixed by the user: ${JSON.stringify(p.request.target)}. Keep it; you may add lab podBehaviour, weights or policyOptions when the scenario needs them.`
      : 'No target was given: use the embedded lab ({"kind":"lab"}).',
    `A spec the built-in generator made for this request, to adapt rather than copy: ${JSON.stringify(p.example)}`,
  ].join('\n');
  const user = [
    `Scenario type: ${p.scenario.name}.`,
    p.request.description ? `What the user wants to test: ${p.request.description}` : 'No further description: design the scenario as described.',
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
