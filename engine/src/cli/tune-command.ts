import type { Command } from 'commander';
import { parseDuration } from '../core/duration.js';
import { ScaleError } from '../core/errors.js';
import { POLICY_NAMES } from '../policies/policy.js';
import { runDeps } from '../runs/default-deps.js';
import type { RunDeps } from '../runs/test-run.js';
import type { Score } from '../analysis/objective.js';
import type { DecisionRow, TuningDecision } from '../tuning/tuning-decision.js';
import { recommendForSpec } from '../tuning/tune-spec.js';
import { EXIT } from './exit-codes.js';
import { lpad, pad, safeJson } from './format.js';
import { specFromFlags, type RunCommandOptions } from './run-command.js';
import { givenKeepAlive, unknownArgs } from './command-args.js';
import { sharedList } from './simulate-command.js';

/** Options of `scale tune` (the run flags it shares, plus its own). */
export interface TuneCommandOptions extends RunCommandOptions {
  dryRun?: boolean;
  /** Baseline run length, e.g. 3s. */
  baseline?: string;
  /** Length of each verification run, e.g. 2.5s. */
  verify?: string;
}

/** Where the command writes; tests pass their own. */
export interface TuneCommandIO {
  out(text: string): void;
  err(text: string): void;
  deps?: RunDeps;
}


/** Adds `scale tune` to the program. */
export function registerTuneCommand(program: Command, io: TuneCommandIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): void {
  const latencies = sharedList();
  program
    .command('tune')
    .description('recommend a balancer setting for a lab spec: baseline run, fitted pod model, every candidate simulated, the best three verified live (applies nothing: the lab of a CLI run is gone afterwards)')
    .option('--spec <file>', 'TestSpec JSON file (flags override its fields)')
    .option('--pods <n>', 'lab pods')
    .option('--policy <name>', `current policy: ${POLICY_NAMES.join(' | ')}`)
    .option('--mode <mode>', 'l7 | l4')
    .option('--weights <list>', 'balancer weights, e.g. 5,1,1,1,1')
    .option('--pod-latency <[pod=]dist>', 'service time, all pods (exp:10ms) or one (pod-3=exp:50ms); repeatable, later ones win', latencies)
    .option('--service-time <[pod=]dist>', 'alias of --pod-latency', latencies)
    .option('--pod-concurrency <n>', 'requests each pod serves at once')
    .option('--model <model>', 'closed | open')
    .option('--rate <r>', 'open model: requests per second')
    .option('--users <n>', 'closed model: users')
    .option('--keep-alive', 'reuse connections (default)')
    .option('--no-keep-alive', 'a new connection for every request')
    .option('--max-connections <n>', 'connections to the target at most')
    .option('--connections <n>', 'alias of --max-connections')
    .option('--requests-per-connection <n>', 'recycle a connection after n requests (0 = never)')
    .option('--threshold-p99 <d>', 'p99 limit of the objective, e.g. 200ms')
    .option('--threshold-error-rate <r>', 'error-rate limit of the objective')
    .option('--seed <n>', 'seed')
    .option('--baseline <d>', 'baseline run length (default 3s)')
    .option('--verify <d>', 'length of each verification run (default 2.5s)')
    .option('--dry-run', 'recommend only (always the case for the CLI; accepted for symmetry with the API)')
    .option('--json', 'print the decision as JSON')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (opts: TuneCommandOptions, cmd: Command) => {
      process.exitCode = await tuneCommand(givenKeepAlive(opts, cmd), unknownArgs(cmd), io);
    });
}

/** Runs the tuner on the spec from --spec and flags; prints the ranked table or the JSON decision. */
export async function tuneCommand(o: TuneCommandOptions, unknownFlags: string[], io: TuneCommandIO): Promise<number> {
  const spec = await specFromFlags(o, unknownFlags);
  if (spec.target.kind !== 'lab') throw new ScaleError('invalid_input', 'scale tune works on a lab spec (its pods can be simulated and its balancer set)', [{ path: '--target', message: 'must be lab' }]);
  const ms = (d: string | undefined, name: string) => {
    if (d === undefined) return undefined;
    const v = parseDuration(d);
    if (v === undefined) throw new ScaleError('invalid_input', `${name}: not a duration`, [{ path: name, message: 'use e.g. 2500ms or 3s' }]);
    return v;
  };
  const { decision } = await recommendForSpec(spec, io.deps ?? runDeps(), {
    baselineMs: ms(o.baseline, '--baseline'),
    verifyMs: ms(o.verify, '--verify'),
    progress: (step) => io.err(`tune: ${step}\n`),
  });
  io.out(o.json ? `${safeJson(decision)}\n` : `${renderDecision(decision)}\n`);
  return EXIT.ok;
}

/** The ranked table: verified settings first (by measured numbers), then the rest by prediction. */
export function renderDecision(d: TuningDecision): string {
  const n = (s: Score | undefined, f: (s: Score) => string) => (s ? f(s) : '-');
  const head = `${pad('candidate', 46)} ${lpad('pred bal', 9)} ${lpad('pred p99', 10)} ${lpad('meas bal', 9)} ${lpad('meas p99', 10)}  apply`;
  const row = (r: DecisionRow) =>
    `${pad(`${r.id === d.winner.id ? '> ' : '  '}${r.id}${r.current ? ' (current)' : ''}`, 46)} ${lpad(r.predicted.balance.toFixed(3), 9)} ${lpad(`${r.predicted.p99Ms.toFixed(1)}ms`, 10)} ${lpad(n(r.measured, (s) => s.balance.toFixed(3)), 9)} ${lpad(n(r.measured, (s) => `${s.p99Ms.toFixed(1)}ms`), 10)}  ${r.apply}`;
  const kind = d.winner.measured?.balanceKind ?? d.winner.predicted.balanceKind;
  return [
    `objective: maximise ${kind} balance; p99 and error-rate limits (${JSON.stringify(d.objective)})`,
    `model: ${d.model.map((p) => `${p.name} ${p.meanMs.toFixed(1)}ms σ${p.sigma.toFixed(2)}`).join(', ')}`,
    '',
    head,
    ...d.rows.map(row),
    '',
    `recommendation: ${d.note.replace(/^would apply/, 'apply')}`,
    'nothing was applied: the lab of a CLI run is closed when it ends (use POST /api/tuning/enable on a running engine to apply).',
  ].join('\n');
}
