import { readSpecFile, unknownFlagIssues } from './spec-file.js';
import { givenKeepAlive, unknownArgs } from './command-args.js';
import type { Command } from 'commander';
import { ValidationError, type Issue } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import { isPolicyName } from '../policies/registry.js';
import { POLICY_NAMES, type PolicyName } from '../policies/policy.js';
import { COMPARE_P99_RATIO, compareCandidates, comparePolicies, RANK_BY, type CompareRow, type RankBy } from '../sim/compare.js';
import { planSimulation } from '../sim/plan-simulation.js';
import { planFromTestSpec } from '../sim/plan-test-spec.js';
import type { SimPlan } from '../sim/sim-plan.js';
import { flagsToSimSpec, kebab, list, num, withSimFlagNames, type SimFlags } from '../sim/sim-flags.js';
import { SimSpecSchema, SimWorkloadSchema } from '../sim/sim-spec.js';
import { simulate, simulationAnswer, type SimOutcome } from '../sim/simulate.js';
import { POD_DEFAULTS } from '../spec/defaults.js';
import { TestSpecSchema } from '../spec/test-spec.js';
import { toIssues } from '../spec/validate.js';
import { int, lpad, pad, pct, safeJson, score, secs } from './format.js';
import { renderReport } from './report.js';
import { exitCodeOf } from './run-command.js';

/** Where the output goes (the terminal; tests pass their own). */
export interface SimIo {
  out(text: string): void;
  colour: boolean;
}

const stdio: SimIo = { out: (t) => process.stdout.write(t), colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR };
const collect = (v: string, prev: string[] = []) => [...prev, v];
/** One list filled by a flag and its aliases, in the order typed (so later entries still override earlier ones). */
export function sharedList(): (v: string) => string[] {
  const values: string[] = [];
  return (v) => {
    values.push(v);
    return values;
  };
}
/** Flags that only shape a simulation; with a TestSpec --spec only these may be added. */
const SPEC_FLAGS = new Set(['spec', 'seed', 'balancers', 'spread', 'json', 'policies', 'rankBy']);

/**
 * Adds `scale simulate` (one workload, one policy: the Result a live run would give, in virtual
 * time, without sockets) and `scale compare` (the same workload under every policy, ranked).
 */
export function registerSimulateCommands(program: Command, io: SimIo = stdio): void {
  const common = (c: Command): Command => {
    const latencies = sharedList();
    return c
      .option('--spec <file>', 'a lab TestSpec (has "target") or a simulation spec (the POST /api/simulate body); flags override the latter')
      .option('--pods <n>', `pods (default ${POD_DEFAULTS.pods}, as scale run)`)
      .option('--pod-concurrency <n>', `requests a pod serves at once; the rest queue FIFO (default ${POD_DEFAULTS.concurrency}, as scale run)`)
      .option('--pod-latency <[pod=]dist>', `service time of every pod (exp:10ms, fixed:5ms, lognormal:20ms,0.5, uniform:1ms,3ms; default ${POD_DEFAULTS.serviceTime}) or one pod (pod-3=exp:50ms); repeatable, later ones win`, latencies)
      .option('--service-time <[pod=]dist>', 'alias of --pod-latency', latencies)
      .option('--pod-service-time <pod=dist>', 'alias of --pod-latency', latencies)
      .option('--pod-speed <pod=x>', 'one pod\'s relative speed, e.g. pod-3=0.2 (five times slower); repeatable', collect)
      .option('--pod-error-rate <pod=r>', 'error rate of all pods (0.01) or one (pod-2=0.1); repeatable', collect)
      .option('--rate <r>', 'arrivals per second')
      .option('--load <f>', 'arrivals as a fraction of total capacity, e.g. 0.9 (default 0.8)')
      .option('--arrival <kind>', 'poisson (default) | constant | bursty')
      .option('--burst <on/off>', 'bursty on- and off-periods, e.g. 1s/4s')
      .option('--users <n>', 'closed model: users (instead of --rate/--load)')
      .option('--spawn-rate <r>', 'closed model: users started per second')
      .option('--think-time <dist>', 'closed model: pause between a user\'s requests')
      .option('--requests <n>', 'stop after n requests (default 100000 without --duration)')
      .option('--duration <d>', 'stop starting requests after this virtual time, e.g. 60s')
      .option('--seed <n>', 'seed: the same seed gives the same result (default 1)')
      .option('--balancers <n>', 'independent balancer instances (ingress replicas), each with its own state')
      .option('--spread <how>', 'how requests reach the balancers: round-robin | random')
      .option('--mode <mode>', 'l7 (per request) | l4 (per connection, as kube-proxy)')
      .option('--decay <d>', 'peak-ewma decay time constant, e.g. 10s (compare: a list, e.g. 1s,10s)')
      .option('--weights <list>', 'balancer weights, e.g. 5,1,1,1,1')
      .option('--capacity <list>', 'relative pod capacity, giving the expected shares (default equal)')
      .option('--max-connections <n>', 'client connections at most (0, the default: as many as needed)')
      .option('--connections <n>', 'alias of --max-connections')
      .option('--requests-per-connection <n>', 'recycle a connection after n requests (0 = never)')
      .option('--keep-alive', 'reuse connections (default)')
      .option('--no-keep-alive', 'a new connection for every request')
      .option('--fail <pod@t>', 'pod fails at a virtual time, e.g. pod-2@10s; repeatable', collect)
      .option('--recover <pod@t>', 'pod recovers, e.g. pod-2@20s; repeatable', collect)
      .option('--scale <n@t>', 'scale to n pods at a virtual time, e.g. 12@30s; repeatable', collect)
      .option('--warmup <d,factor>', 'cold pods (scaled up, recovered) start factor times slower, warming over d, e.g. 30s,3')
      .option('--slow-start <d>', "balancer slow start: pods that join or recover ramp from 10% to a full share over d (Envoy's slow_start_window)")
      .option('--timeout <d>', 'requests older than this fail as timeouts')
      .option('--window <d>', 'timeline window (default 1s)')
      .option('--threshold-balance <score>', 'fail (exit 1) when imbalanced with a score below this (default 0.95)')
      .option('--threshold-p99 <d>', 'fail when p99 exceeds this')
      .option('--threshold-error-rate <r>', 'fail when the error rate exceeds this')
      .option('--threshold-max-share-ratio <x>', 'fail when a pod takes more than x times its expected share, e.g. 1.5')
      .option('--json', 'print JSON')
      .allowUnknownOption(true)
      .allowExcessArguments(true);
  };

  common(program.command('simulate').description('simulate a balancer in virtual time: the Result a live run would give, in about a second'))
    .option('--policy <name>', `${POLICY_NAMES.join(' | ')} (default round-robin)`)
    .option('--choices <n>', 'power-of-two / peak-ewma candidates (d)')
    .action(async (o: SimFlags, cmd: Command) => {
      process.exitCode = await simulateCommand(givenKeepAlive(o, cmd), unknownArgs(cmd), io);
    });

  common(program.command('compare').description('the same simulated workload under every policy, ranked'))
    .option('--policies <list>', `policies to compare (default all: ${POLICY_NAMES.join(',')})`)
    .option('--choices <list>', 'candidate counts to try for power-of-two / peak-ewma, e.g. 2,3')
    .option('--rank-by <key>', 'balance (default: the balance score among policies whose p99 and errors are near the best) | utilisation | requests | p99')
    .action(async (o: SimFlags, cmd: Command) => {
      process.exitCode = await compareCommand(givenKeepAlive(o, cmd), unknownArgs(cmd), io);
    });
}

/** `scale simulate`: returns the exit code (1 when a threshold failed). */
export async function simulateCommand(o: SimFlags, unknown: string[], io: SimIo = stdio): Promise<number> {
  const plan = await planFromFlags(o, unknown, []);
  const outcome = simulate(plan);
  if (o.json) io.out(`${safeJson(simulationAnswer(outcome, plan))}\n`);
  else io.out(`${renderReport(outcome.result, io.colour)}\n${speedLine(outcome, plan)}\n`);
  return exitCodeOf(outcome.result);
}

/** `scale compare`: always exit code 0 once the workload is valid (it ranks, it does not judge). */
export async function compareCommand(o: SimFlags, unknown: string[], io: SimIo = stdio): Promise<number> {
  const issues: Issue[] = [];
  const policies = (o.policies?.split(',').map((p) => p.trim()) ?? [...POLICY_NAMES]).filter((p) => {
    if (isPolicyName(p)) return true;
    issues.push({ path: '--policies', message: `unknown policy "${p}" (use ${POLICY_NAMES.join(', ')})` });
    return false;
  }) as PolicyName[];
  const rankBy = (o.rankBy ?? 'balance') as RankBy;
  if (!RANK_BY.includes(rankBy)) issues.push({ path: '--rank-by', message: `use ${RANK_BY.join(', ')}` });
  const choices = o.choices !== undefined ? list(o.choices) : undefined;
  if (choices?.some((c) => !Number.isInteger(c) || c < 1 || c > 16)) issues.push({ path: '--choices', message: 'integers from 1 to 16, e.g. 2,3' });
  const decayMs = o.decay?.split(',').map((d) => parseDuration(d) ?? Number.NaN);
  if (decayMs?.some((d) => !(d > 0))) issues.push({ path: '--decay', message: 'durations, e.g. 1s,10s' });
  const plan = await planFromFlags({ ...o, choices: undefined, decay: undefined }, unknown, issues, true);
  const rows = comparePolicies(plan, compareCandidates(policies, { choices, decayMs }), rankBy);
  if (o.json) io.out(`${safeJson({ rankBy, spec: plan.spec, rows })}\n`);
  else io.out(`${renderCompare(rows, rankBy)}\n`);
  return 0;
}

/** Reads --spec and the flags into one plan, throwing a ValidationError listing every problem. */
/** `workload`: a comparison, whose candidates replace the spec's policy fields (not checked against them). */
async function planFromFlags(o: SimFlags, unknown: string[], issues: Issue[], workload = false): Promise<SimPlan> {
  issues.push(...unknownFlagIssues(unknown));
  const base = await readSpecFile(o.spec, issues);
  if ('target' in base) {
    // A lab TestSpec: its workload is the file's; flags may only add what a live lab lacks.
    for (const [k, v] of Object.entries(o)) if (v !== undefined && !SPEC_FLAGS.has(k) && k !== 'keepAlive') issues.push({ path: `--${kebab(k)}`, message: 'cannot be combined with a TestSpec --spec (edit the file)' });
    const r = TestSpecSchema.safeParse(o.seed !== undefined ? { ...base, seed: num(o.seed) } : base);
    const balancers = o.balancers !== undefined ? num(o.balancers) : 1;
    if (!Number.isInteger(balancers) || balancers < 1 || balancers > 64) issues.push({ path: '--balancers', message: 'an integer from 1 to 64' });
    if (!r.success) issues.push(...toIssues(r.error).map((i) => ({ ...i, path: `--spec ${i.path}` })));
    if (r.success && r.data.target.kind !== 'lab') issues.push({ path: '--spec target.kind', message: 'only a lab target can be simulated' });
    if (issues.length > 0 || !r.success) throw new ValidationError(issues);
    return planFromTestSpec(r.data, { balancers, spread: o.spread === 'random' ? 'random' : 'round-robin' });
  }
  const r = (workload ? SimWorkloadSchema : SimSpecSchema).safeParse(flagsToSimSpec(o, base, issues));
  if (!r.success) issues.push(...withSimFlagNames(toIssues(r.error), o));
  if (issues.length > 0 || !r.success) throw new ValidationError(issues);
  return planSimulation(r.data);
}

function speedLine(o: SimOutcome, plan: SimPlan): string {
  const skipped = plan.notSimulated?.length ? `\nnot simulated (no wire in the simulator): ${plan.notSimulated.join(', ')}` : '';
  return `simulated ${int(o.simulatedRequests)} requests (${o.virtualSeconds.toFixed(1)} virtual s, ${plan.balancers} balancer${plan.balancers === 1 ? '' : 's'}, ${plan.mode}) in ${o.wallSeconds.toFixed(2)} s: ${int(o.simulatedRequestsPerSecond)} simulated requests/s${skipped}`;
}

function renderCompare(rows: CompareRow[], rankBy: RankBy): string {
  const head = `${lpad('#', 3)}  ${pad('policy', 28)}${lpad('score', 8)}  ${pad('verdict', 18)}${pad('basis', 12)}${lpad('req', 8)}${lpad('util', 8)}${lpad('p50', 10)}${lpad('p99', 10)}${lpad('errors', 9)}${lpad('sim req/s', 12)}`;
  const lines = rows.map((r) => {
    const marks = `${r.pass ? '' : ' ✗'}${r.feasible ? '' : ' ⚠'}`;
    return `${lpad(String(r.rank), 3)}  ${pad(r.label + marks, 28)}${lpad(score(r.score), 8)}  ${pad(r.verdict, 18)}${pad(r.basis, 12)}${lpad(score(r.requestScore), 8)}${lpad(r.utilisation === null ? '-' : score(r.utilisation), 8)}${lpad(secs(r.p50), 10)}${lpad(secs(r.p99), 10)}${lpad(pct(r.errorRate, 2), 9)}${lpad(int(r.simulatedRequestsPerSecond), 12)}`;
  });
  const legend =
    rankBy === 'balance'
      ? `ranked by balance among policies with a p99 within ${COMPARE_P99_RATIO}× the best (+5 ms) and errors near the best (⚠: over those limits, ranked after the rest; ✗: a threshold failed)`
      : `ranked by ${rankBy} (✗: a threshold failed)`;
  return [legend, head, ...lines].join('\n');
}
