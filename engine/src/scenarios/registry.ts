import type { z } from 'zod';
import { ValidationError, type Issue } from '../core/errors.js';
import { TestSpecSchema, type TestSpecInput } from '../spec/test-spec.js';
import { toIssues } from '../spec/validate.js';
import { longLivedConnections, scaleUpUnderKeepAlive } from './connection-reuse.js';
import { diurnal, thunderingHerd } from './cycles-and-bursts.js';
import { gradualRamp, highTraffic, spike, sustained } from './load-shapes.js';
import { overlaySpec } from './overlay.js';
import { describeParams, type ParamInfo } from './params.js';
import { rollingRestart, slowPod } from './pod-trouble.js';
import type { Scenario } from './scenario.js';

/** Every built-in scenario, in the order they are listed (the seed's four first, as in issue 5). */
const SCENARIOS: readonly Scenario[] = [
  highTraffic,
  spike,
  sustained,
  gradualRamp,
  diurnal,
  thunderingHerd,
  scaleUpUnderKeepAlive,
  slowPod,
  rollingRestart,
  longLivedConnections,
];
const BY_NAME = new Map(SCENARIOS.map((s) => [s.name, s]));

/** The built-in scenarios. */
export function listScenarios(): readonly Scenario[] {
  return SCENARIOS;
}

/**
 * Accepts the kebab-case name and the seed's display names ("High Traffic", "gradual_ramp"):
 * lower case, runs of spaces and underscores as one dash.
 */
export function normaliseScenarioName(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

/** The scenario of that name (display names accepted), or undefined. */
export function getScenario(name: string): Scenario | undefined {
  return BY_NAME.get(normaliseScenarioName(name));
}

/** The issue for an unknown scenario name, listing the known ones. */
export function unknownScenarioIssue(name: string, path = 'scenario'): Issue {
  return { path, message: `no scenario "${name}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})` };
}

/** A scenario as listed by `scale scenarios` and `GET /api/scenarios`. */
export interface ScenarioInfo {
  name: string;
  title: string;
  description: string;
  lookFor: string;
  labOnly: boolean;
  parameters: ParamInfo[];
  /** The spec the scenario gives with its default parameters. */
  example: TestSpecInput;
}

export function scenarioInfo(s: Scenario): ScenarioInfo {
  return {
    name: s.name,
    title: s.title,
    description: s.description,
    lookFor: s.lookFor,
    labOnly: s.labOnly,
    parameters: describeParams(s.params),
    example: s.build(s.params.parse({})),
  };
}

/** Validates a scenario's parameters: the typed values, or every problem (paths `params.NAME`). */
export function parseScenarioParams(s: Scenario, raw: Record<string, unknown>): { params?: z.output<typeof s.params>; issues: Issue[] } {
  const r = s.params.safeParse(raw);
  if (r.success) return { params: r.data, issues: [] };
  return { issues: toIssues(r.error).map((i) => ({ path: i.path ? `params.${i.path}` : 'params', message: i.message })) };
}

/**
 * The TestSpec of scenario `name` with `params` (strings from `--param k=v`, or JSON values),
 * laid over `base` (see overlaySpec). Pure. Throws one ValidationError listing every problem:
 * unknown scenario, bad or unknown parameters, a lab-only scenario on another target, and any
 * field of the resulting spec the schema refuses. Returns the spec as input (defaults not yet
 * filled), so a caller can still lay flags over it and validate once more.
 */
export function scenarioSpec(name: string, params: Record<string, unknown> = {}, base?: TestSpecInput): TestSpecInput {
  const scenario = getScenario(name);
  if (!scenario) throw new ValidationError([unknownScenarioIssue(name)]);
  const { params: values, issues } = parseScenarioParams(scenario, params);
  const baseKind = base?.target?.kind;
  if (scenario.labOnly && baseKind !== undefined && baseKind !== 'lab')
    issues.push({ path: 'target.kind', message: `scenario "${scenario.name}" shapes lab pods and needs the lab target, not "${baseKind}"` });
  // With bad parameters the base is still checked (under the defaults), so that its problems are
  // reported in the same answer.
  const spec = overlaySpec(base, scenario.build(values ?? scenario.params.parse({})));
  const r = TestSpecSchema.safeParse(spec);
  if (!r.success) issues.push(...toIssues(r.error));
  if (issues.length > 0) throw new ValidationError(issues);
  return spec;
}
