import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.js';
import { parseDuration } from '../core/duration.js';
import { ScaleError, ValidationError, type Issue } from '../core/errors.js';
import { generateOptionsFromConfig, generateScenario, GenerateRequestSchema, type GeneratedScenario } from '../scenarios/generate.js';
import { getScenario, listScenarios, scenarioInfo, unknownScenarioIssue, type ScenarioInfo } from '../scenarios/registry.js';
import { toIssues } from '../spec/validate.js';
import { EXIT } from './exit-codes.js';
import { pad, safeJson, safeLine } from './format.js';

/**
 * `scale scenarios [NAME]` (the library, or one scenario in full) and `scale scenarios generate`
 * (a TestSpec from the LLM or the built-in generator). The commands only build the options the
 * library takes and print what it returns; errors go to main's handler (message, hint, exit code).
 */

/** Where the commands write and what environment they read; tests pass their own. */
export interface ScenarioCommandIO {
  out(text: string): void;
  env: Record<string, string | undefined>;
}

interface ListOptions {
  json?: boolean;
}

interface GenerateOptions {
  type?: string;
  description?: string;
  pods?: string;
  url?: string;
  podHeader?: string;
  observedRps?: string;
  timeout?: string;
  out?: string;
  json?: boolean;
}

/** Adds `scenarios` and `scenarios generate` to the program. */
export function registerScenarioCommands(program: Command, io: ScenarioCommandIO = { out: (t) => process.stdout.write(t), env: process.env }): void {
  const scenarios = program
    .command('scenarios')
    .description('the built-in scenarios; run one with `scale run --scenario NAME --param key=value`')
    .argument('[name]', 'show one scenario in full: what it tests, what to look for, its parameters and spec')
    .option('--json', 'print JSON')
    .action((name: string | undefined, o: ListOptions) => {
      process.exitCode = name === undefined ? listCommand(io, o) : showCommand(io, name, o);
    });

  scenarios
    .command('generate')
    .description('generate a TestSpec for a scenario type: by the LLM when OPENAI_API_KEY is set, else by the built-in generator')
    .option('--type <name>', `scenario type: ${listScenarios()
      .map((s) => s.name)
      .join(' | ')}`)
    .option('--description <text>', 'what you want to test, in your words (read by the LLM)')
    .option('--pods <n>', 'lab target with n pods (default 5)')
    .option('--url <url>', 'URL target instead of the lab (loopback or allow-listed)')
    .option('--pod-header <name>', 'response header naming the serving pod (URL targets)')
    .option('--observed-rps <n>', 'requests per second the target is known to serve (sizes the scenario)')
    .option('--timeout <d>', 'time allowed for the LLM to answer, e.g. 30s')
    .option('--out <file>', 'also write the spec to a file, for `scale run --spec FILE`')
    .option('--json', 'print the whole answer (source, model, spec, adjustments, rationale) as JSON')
    .action(async (_o: GenerateOptions, cmd: Command) => {
      // --json may land on `scenarios` (commander parses parent options after the subcommand too).
      process.exitCode = await generateCommand(io, cmd.optsWithGlobals<GenerateOptions>());
    });
}

function listCommand(io: ScenarioCommandIO, o: ListOptions): number {
  const infos = listScenarios().map(scenarioInfo);
  if (o.json) {
    io.out(`${JSON.stringify({ scenarios: infos }, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...infos.map((s) => s.name.length)) + 2;
  const titleWidth = Math.max(...infos.map((s) => s.title.length)) + 2;
  const rows = infos.map((s) => `${pad(s.name, width)}${pad(s.title, titleWidth)}${pad(s.labOnly ? 'lab' : 'any', 8)}${s.parameters.map((p) => `${p.name}=${String(p.default)}`).join(' ')}`);
  io.out(
    [
      `${pad('SCENARIO', width)}${pad('TITLE', titleWidth)}${pad('TARGET', 8)}PARAMETERS (defaults)`,
      ...rows,
      '',
      'scale scenarios NAME           what it tests, what to look for, parameter ranges',
      'scale run --scenario NAME --param key=value',
      'scale scenarios generate --type NAME [--description TEXT]',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}

function showCommand(io: ScenarioCommandIO, name: string, o: ListOptions): number {
  const s = getScenario(name);
  if (!s) throw new ValidationError([unknownScenarioIssue(name, 'name')]);
  const info = scenarioInfo(s);
  if (o.json) {
    io.out(`${JSON.stringify(info, null, 2)}\n`);
    return EXIT.ok;
  }
  io.out(`${describe(info)}\n`);
  return EXIT.ok;
}

function describe(s: ScenarioInfo): string {
  const nameWidth = Math.max(...s.parameters.map((p) => p.name.length)) + 2;
  const params = s.parameters.map((p) => {
    const range = p.values ? p.values.join('|') : p.minimum !== undefined ? `${p.minimum}..${p.maximum}` : p.type;
    return `  ${pad(p.name, nameWidth)}${pad(String(p.default), 12)}${pad(range, 16)}${p.description}`;
  });
  return [
    `${s.name} — ${s.title}${s.labOnly ? ' (embedded lab only)' : ''}`,
    '',
    wrap(s.description),
    '',
    wrap(`Look for: ${s.lookFor}`),
    '',
    `Parameters (--param key=value):`,
    `  ${pad('NAME', nameWidth)}${pad('DEFAULT', 12)}${pad('RANGE', 16)}MEANING`,
    ...params,
    '',
    'Spec with the defaults:',
    JSON.stringify(s.example, null, 2),
  ].join('\n');
}

/** Flag names for the request's fields, so errors name what the user typed. */
const FLAG: Record<string, string> = { type: '--type', description: '--description', 'target.pods': '--pods', 'target.url': '--url', 'target.podHeader': '--pod-header' };

async function generateCommand(io: ScenarioCommandIO, o: GenerateOptions): Promise<number> {
  const issues: Issue[] = [];
  if (o.type === undefined) issues.push({ path: '--type', message: 'required' });
  if (o.url !== undefined && o.pods !== undefined) issues.push({ path: '--pods', message: 'only for the lab; not with --url' });
  if (o.podHeader !== undefined && o.url === undefined) issues.push({ path: '--pod-header', message: 'only with --url' });
  const observed = o.observedRps === undefined ? undefined : Number(o.observedRps);
  if (observed !== undefined && !(Number.isFinite(observed) && observed > 0)) issues.push({ path: '--observed-rps', message: 'must be a number above 0' });
  const timeoutMs = o.timeout === undefined ? undefined : parseDuration(o.timeout);
  if (o.timeout !== undefined && !(timeoutMs !== undefined && timeoutMs >= 100 && timeoutMs <= 600_000))
    issues.push({ path: '--timeout', message: 'must be a duration from 100ms to 10m' });

  const target =
    o.url !== undefined
      ? { kind: 'url', url: o.url, ...(o.podHeader !== undefined ? { podHeader: o.podHeader } : {}) }
      : o.pods !== undefined
        ? { kind: 'lab', pods: Number(o.pods) }
        : undefined;
  const request = { type: o.type ?? '', ...(o.description !== undefined ? { description: o.description } : {}), ...(target ? { target } : {}) };
  const r = GenerateRequestSchema.safeParse(request);
  if (!r.success) {
    // A missing --type is reported once above, not again as an empty string.
    const schemaIssues = toIssues(r.error).filter((i) => !(i.path === 'type' && o.type === undefined));
    issues.push(...schemaIssues.map((i) => ({ path: FLAG[i.path] ?? i.path, message: i.message })));
  }
  if (issues.length > 0 || !r.success) throw new ValidationError(issues);

  const options = { ...generateOptionsFromConfig(loadConfig(io.env)), observedCapacityRps: observed, timeoutMs };
  const g = await generateScenario(r.data, options);
  if (o.out !== undefined) {
    try {
      await writeFile(o.out, `${JSON.stringify(g.spec, null, 2)}\n`);
    } catch (err) {
      throw new ScaleError('invalid_input', `cannot write ${o.out}: ${(err as Error).message}`, [{ path: '--out', message: (err as Error).message }]);
    }
  }
  io.out(o.json ? `${safeJson(g)}\n` : `${summary(g, o.out)}\n`);
  return EXIT.ok;
}

function summary(g: GeneratedScenario, file: string | undefined): string {
  // The model's name, its rationale and its spec are outside text: no control character reaches the terminal.
  const by = g.source === 'llm' ? `by the LLM (${safeLine(g.model ?? '')})` : 'by the built-in generator (set OPENAI_API_KEY to use an LLM)';
  const lines = [`${g.type}: generated ${by}`, '', wrap(safeLine(g.rationale)), ''];
  if (g.adjustments.length > 0) {
    lines.push('Adjusted to fit the limits:');
    for (const a of g.adjustments) lines.push(safeLine(`  - ${a.path}: ${JSON.stringify(a.from)} → ${a.to === null ? '(removed)' : JSON.stringify(a.to)}  (${a.reason})`));
    lines.push('');
  }
  lines.push(safeJson(g.spec), '');
  lines.push(file ? `Written to ${file}; run it with: scale run --spec ${file}` : 'Save it with --out FILE, then: scale run --spec FILE');
  return lines.join('\n');
}

/** Wraps prose at 100 columns for terminals. */
function wrap(text: string, width = 100): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.join('\n');
}
