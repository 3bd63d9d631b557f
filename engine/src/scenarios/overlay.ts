import type { TestSpecInput } from '../spec/test-spec.js';

/**
 * Lays a scenario's spec over a base spec (a `--spec` file, CLI flags, a generator's target).
 * The scenario sets what it is about (its load shape, its connection settings, the lab target
 * fields it shapes); the base supplies everything else (request, thresholds, seed, the policy).
 * Rules:
 * - plain objects merge field by field, the scenario's value winning; arrays and values replace;
 * - `load` is the scenario's alone (mixing an open and a closed model would be meaningless);
 * - a base target that is not the lab (a URL, a cluster) replaces the scenario's target, whose
 *   fields only shape lab pods, and drops the scenario's faults, which act on lab pods;
 * - the base's name, when it has one, names the test.
 */
export function overlaySpec(base: TestSpecInput | undefined, scenario: TestSpecInput): TestSpecInput {
  if (!base) return scenario;
  const merged = mergeObjects(base as Record<string, unknown>, scenario as Record<string, unknown>) as TestSpecInput;
  if (scenario.load !== undefined) merged.load = scenario.load;
  const baseKind = isObject(base.target) ? base.target.kind : undefined;
  if (baseKind !== undefined && baseKind !== 'lab') {
    merged.target = base.target;
    // The scenario's faults act on lab pods too.
    merged.faults = base.faults;
  }
  if (typeof base.name === 'string') merged.name = base.name;
  return merged;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeObjects(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && isObject(a[k]) ? mergeObjects(a[k], v) : v;
  }
  return out;
}
