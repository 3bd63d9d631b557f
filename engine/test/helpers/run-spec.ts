import type { Result } from '../../src/core/result.js';
import { runDeps } from '../../src/runs/default-deps.js';
import { TestRun } from '../../src/runs/test-run.js';
import type { TestSpecInput } from '../../src/spec/test-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';

/** Runs one TestSpec end to end (real lab, real load generator) and returns its Result. */
export async function runSpec(input: TestSpecInput): Promise<Result> {
  const run = new TestRun(parseTestSpec(input), runDeps());
  await run.start();
  return run.finished;
}

export function podShares(r: Result): Record<string, number> {
  return Object.fromEntries(r.pods.map((p) => [p.name, p.share]));
}
