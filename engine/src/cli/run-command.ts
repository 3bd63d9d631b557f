import { ValidationError, type Issue } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { LOOPBACK_ONLY, TargetAllowList } from '../config/allow-list.js';
import { loadConfig } from '../config/config.js';
import { KubeContext, kubeSettingsFrom } from '../k8s/kube-context.js';
import { runDeps } from '../runs/default-deps.js';
import { TestRun, type RunDeps } from '../runs/test-run.js';
import { TestSpecSchema, type TestSpec } from '../spec/test-spec.js';
import { toIssues } from '../spec/validate.js';
import { describeParams } from '../scenarios/params.js';
import { getScenario, scenarioSpec } from '../scenarios/registry.js';
import { EXIT, terminate } from './exit-codes.js';
import { flagsToSpec, givenFlags, withFlagNames, type FlagBase, type RunFlags } from './flags-to-spec.js';
import { readSpecFile, unknownFlagIssues } from './spec-file.js';
import { LiveView, plainLine } from './live-view.js';
import { safeJson, safeLine } from './format.js';
import { renderReport } from './report.js';

export interface RunCommandOptions extends RunFlags {
  json?: boolean;
  quiet?: boolean;
  /** A built-in scenario laid over the --spec file; flags still override it. */
  scenario?: string;
  /** Scenario parameters as k=v. */
  param?: string[];
}

/** Reads --spec, --scenario and the flags into one validated spec, listing every problem at once. */
export async function specFromFlags(o: RunCommandOptions, unknownFlags: string[] = [], warn: (w: Issue) => void = printWarning): Promise<TestSpec> {
  const issues: Issue[] = unknownFlagIssues(unknownFlags);
  let base = await readSpecFile(o.spec, issues);
  let from: FlagBase = { label: 'the --spec file' };
  if (o.scenario !== undefined) {
    const params: Record<string, string> = {};
    for (const kv of o.param ?? []) {
      const eq = kv.indexOf('=');
      if (eq <= 0) issues.push({ path: '--param', message: `"${kv}": use name=value` });
      else params[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    const scenario = getScenario(o.scenario);
    if (scenario) from = { label: `scenario ${scenario.name}`, params: describeParams(scenario.params).map((p) => p.name) };
    try {
      base = scenarioSpec(o.scenario, params, base) as Record<string, unknown>;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      issues.push(...err.details.map((d) => ({ ...d, path: d.path.startsWith('-') ? d.path : `${d.path} (--scenario ${o.scenario})` })));
    }
  } else if (o.param?.length) issues.push({ path: '--param', message: 'needs --scenario' });
  const { spec, issues: flagIssues, warnings } = flagsToSpec(o, base, from);
  issues.push(...flagIssues);
  const r = TestSpecSchema.safeParse(spec);
  if (!r.success) issues.push(...withFlagNames(toIssues(r.error), givenFlags(o)));
  if (issues.length > 0 || !r.success) throw new ValidationError(issues);
  for (const w of warnings) warn(w);
  return r.data;
}

/** A warning on stderr, whatever the output mode: --json keeps stdout for the Result. */
function printWarning(w: Issue): void {
  process.stderr.write(`scale: warning: ${w.path}: ${w.message}\n`);
}

/** Exit code of a finished run: 3 when it failed, 1 when a threshold failed, else 0. */
export function exitCodeOf(r: Result): number {
  if (r.status === 'failed') return EXIT.engine;
  return r.thresholds.every((t) => t.pass) ? EXIT.ok : EXIT.thresholds;
}

/** What `scale run` works with: the allow-list and cluster settings of the environment (README: Configuration). */
function cliDeps(): RunDeps {
  const kube = new KubeContext(kubeSettingsFrom(loadConfig(process.env)));
  return runDeps(new TargetAllowList(process.env.ENGINE_ALLOWED_TARGETS || LOOPBACK_ONLY), kube);
}

/**
 * Runs one test with a terminal view: redrawn in place on a TTY, one line a second otherwise;
 * with --json the Result alone goes to stdout and progress lines to stderr.
 */
export async function runTest(spec: TestSpec, o: RunCommandOptions, deps: RunDeps = cliDeps(), caption?: string): Promise<Result> {
  await deps.preflight?.(spec);
  const run = new TestRun(spec, deps);
  const tty = Boolean(process.stdout.isTTY) && !o.json;
  const live = tty && !o.quiet ? new LiveView(process.stdout) : undefined;
  const lines = o.quiet ? undefined : o.json ? process.stderr : tty ? undefined : process.stdout;
  run.on('tick', (t) => {
    live?.tick(t, spec, caption);
    lines?.write(`${plainLine(t)}\n`);
  });
  run.on('problem', (p) => {
    const why = p.error instanceof Error ? p.error.message : String(p.error);
    const what = p.op === 'tick' ? `the window at ${p.elapsed ?? '?'}s could not be scored` : p.op === 'faults' ? 'rolling back a fault failed' : p.op === 'finish' ? 'the result could not be built' : 'a subscriber failed';
    process.stderr.write(`scale: warning: ${what}: ${safeLine(why)}\n`);
  });
  const onSignal = () => {
    if (run.status === 'running' || run.status === 'starting') run.stop();
    else terminate(EXIT.engine);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await run.start();
    const result = await run.finished;
    live?.done();
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function runCommand(o: RunCommandOptions, unknownFlags: string[]): Promise<number> {
  const spec = await specFromFlags(o, unknownFlags);
  const result = await runTest(spec, o);
  if (o.json) process.stdout.write(`${safeJson(result)}\n`);
  else process.stdout.write(`${renderReport(result, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR)}\n`);
  return exitCodeOf(result);
}
