import { Command, CommanderError } from 'commander';
import { formatIssues, ScaleError } from '../core/errors.js';
import { POLICY_NAMES } from '../policies/policy.js';
import { startEngine } from '../api/server.js';
import { loadConfig } from '../config/config.js';
import { POD_DEFAULTS } from '../spec/defaults.js';
import { runDemo } from './demo.js';
import { registerScenarioCommands } from './scenarios-command.js';
import { registerSimulateCommands, sharedList } from './simulate-command.js';
import { registerTuneCommand } from './tune-command.js';
import { serveCommand, type ServeOptions } from './serve-command.js';
import { EXIT, exitCodeFor, hintFor } from './exit-codes.js';
import { runCommand, type RunCommandOptions } from './run-command.js';
import { givenKeepAlive, unknownArgs } from './command-args.js';
import { safeText } from './format.js';

/**
 * `scale`: the CLI only builds the options the library takes and presents its events.
 * Errors are mapped once here to a message, a hint and an exit code.
 */
const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The whole `scale` command tree; built afresh for each run (tests build one per case). */
export function buildProgram(): Command {
  const p = new Command('scale')
    .description('Load-balancer simulator and tester: does your balancer spread traffic evenly across your pods?')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const latencies = sharedList();
  p.command('run')
    .description('run one load test (against the embedded lab by default) and report the balance')
    .option('--spec <file>', 'TestSpec JSON file (flags override its fields)')
    .option('--scenario <name>', 'a built-in scenario (see `scale scenarios`), laid over --spec; flags override it')
    .option('--param <name=value>', 'scenario parameter; repeatable', collect)
    .option('--name <name>', 'test name')
    .option('--target <kind>', 'lab | url | kubernetes')
    .option('--url <url>', 'target URL (inside ENGINE_ALLOWED_TARGETS) for --target url or kubernetes')
    .option('--pod-header <name>', 'response header naming the serving pod (url and kubernetes targets)')
    .option('--namespace <ns>', 'kubernetes: namespace of the Service (one of K8S_NAMESPACES)')
    .option('--service <name>', 'kubernetes: the Service whose EndpointSlices list the pods in rotation')
    .option('--selector <labels>', 'kubernetes: instead of --service, the pods these labels pick (app=demo)')
    .option('--balancer <kind>', 'kubernetes: the balancer the tuner configures: ingress-nginx | envoy-gateway | istio')
    .option('--route <name>', 'kubernetes: the Ingress or HTTPRoute of --balancer (default: the one routing to the Service)')
    .option('--pods <n>', `pods: how many the lab starts (default ${POD_DEFAULTS.pods}), or how many stand behind a --url (silent ones count as 0)`)
    .option('--pod-names <list>', 'the pods behind a --url, as its pod header names them, e.g. web-a,web-b,web-c')
    .option('--policy <name>', `lab balancing policy: ${POLICY_NAMES.join(' | ')}`)
    .option('--mode <mode>', 'l7 (per request) | l4 (per connection, as kube-proxy)')
    .option('--weights <list>', 'balancer weights, e.g. 5,1,1,1,1')
    .option('--choices <n>', 'power-of-two / peak-ewma candidates (d)')
    .option('--hash-key <src>', 'consistent-hash key: client | path | header:<name>')
    .option('--slow-start <d>', "pods that join or recover ramp from 10% to a full share over d (Envoy's slow_start_window)")
    .option('--pod-latency <[pod=]dist>', `service time, all pods (default ${POD_DEFAULTS.serviceTime}) or one (pod-3=exp:100ms); repeatable, later ones win`, latencies)
    .option('--service-time <[pod=]dist>', 'alias of --pod-latency', latencies)
    .option('--pod-error-rate <spec>', 'error rate, all pods (0.1) or one (pod-2=0.2); repeatable', collect)
    .option('--pod-concurrency <n>', `requests each pod serves at once, the rest queue (default ${POD_DEFAULTS.concurrency})`)
    .option('--model <model>', 'closed (users) | open (arrival rate)')
    .option('--rate <r>', 'open model: requests per second of one constant stage (the TestSpec\'s load.rate)')
    .option('--stages <list>', 'open model stages, e.g. 200:10s,ramp:1000:20s (not with --rate/--duration)')
    .option('--duration <d>', 'test length (default 30s)')
    .option('--users <n>', 'closed model: users')
    .option('--spawn-rate <r>', 'closed model: users started per second')
    .option('--think-time <dist>', 'closed model: pause between requests, e.g. exp:100ms')
    .option('--keep-alive', 'reuse connections (default)')
    .option('--no-keep-alive', 'a new connection for every request')
    .option('--max-connections <n>', 'connections to the target at most (default 64)')
    .option('--connections <n>', 'alias of --max-connections')
    .option('--requests-per-connection <n>', 'recycle a connection after n requests (0 = never)')
    .option('--capacity <list>', 'relative pod capacity, giving the expected shares (default equal): 2,1,1 in pod order, or web-a=2,web-b=1')
    .option('--threshold-balance <score>', 'fail (exit 1) when imbalanced with a score below this (default 0.95)')
    .option('--threshold-p99 <d>', 'fail when p99 latency exceeds this, e.g. 500ms')
    .option('--threshold-error-rate <r>', 'fail when the error rate exceeds this, e.g. 0.01')
    .option('--threshold-max-share-ratio <x>', 'fail when a pod takes more than x times its expected share, e.g. 1.5')
    .option('--timeout <d>', 'request timeout, e.g. 10s')
    .option('--path <path>', 'request path (lab pods accept ?delay=10ms:20&status=503:5)')
    .option('--seed <n>', 'seed for the policy and pod service times')
    .option('--threads <n>', 'load-generator worker threads in this process')
    .option('--workers <n>', 'load worker processes, each with a share of the load (a distributed run)')
    .option('--json', 'print the Result as JSON (progress on stderr)')
    .option('--quiet', 'no progress output')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action(async (opts: RunCommandOptions, cmd: Command) => {
      process.exitCode = await runCommand(givenKeepAlive(opts, cmd), unknownArgs(cmd));
    });

  registerScenarioCommands(p);
  registerSimulateCommands(p);
  registerTuneCommand(p);

  p.command('serve')
    .description('run the engine service: HTTP API, WebSocket live stream, Prometheus /metrics, results store')
    .option('--host <host>', 'listen address (env HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port (env PORT, default 8000)')
    .option('--data-dir <dir>', 'results database folder (env DATA_DIR, default ./data)')
    .option('--allow-unauthenticated', 'serve the API without ENGINE_TOKEN on a non-loopback --host, on purpose (env ENGINE_ALLOW_UNAUTHENTICATED=true)')
    .option('--lab', 'tests default to the embedded lab (always on; kept for the documented `serve --lab --demo`)')
    .option('--demo', 'run the narrated demo through the API once the engine is up, then keep serving')
    .option('--quick', 'with --demo: shorter phases')
    .action(async (opts: ServeOptions) => {
      process.exitCode = await serveCommand(opts);
    });

  p.command('worker')
    .description('one load worker of a distributed run (started by the engine; configured from SCALE_WORKER_* variables)')
    .action(async () => {
      const { loadWorkerCommand } = await import('./load-worker-command.js');
      process.exitCode = await loadWorkerCommand();
    });

  p.command('demo-backend')
    .description('a demo backend pod for clusters: the lab pod server with the pod header from POD_NAME and a fault endpoint (see k8s/)')
    .addHelpText(
      'after',
      [
        '',
        'Configured from its environment (the Deployment in k8s/base sets these):',
        '  POD_NAME (or HOSTNAME)  the name sent in the pod header (downward API metadata.name)',
        '  HOST, PORT              listen address (default 0.0.0.0:8080)',
        '  SCALE_POD_HEADER        pod header name (default x-scale-pod; empty: none)',
        '  SCALE_LATENCY           service time (default exp:5ms), SCALE_CONCURRENCY (64), SCALE_ERROR_RATE (0),',
        '  SCALE_ERROR_STATUS (500), SCALE_RESPONSE_BYTES (64)',
        'Paths besides the lab pod\'s: /healthz, /metrics (scale_demo_*), /_scale/faults (GET, POST; no auth: a demo workload).',
      ].join('\n'),
    )
    .action(async () => {
      const { demoBackendCommand } = await import('./demo-backend-command.js');
      process.exitCode = await demoBackendCommand();
    });

  p.command('demo')
    .description('a narrated 30-second tour on the embedded lab (an engine on a free port, driven through its API)')
    .option('--quick', 'shorter phases (for CI)')
    .action(async (opts: { quick?: boolean }) => {
      // A private engine for the tour: loopback and any free port, whatever HOST and PORT say.
      const engine = await startEngine(loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }));
      try {
        process.exitCode = await runDemo(Boolean(opts.quick), engine.url, engine.services.config.ENGINE_TOKEN);
      } finally {
        await engine.close();
      }
    });
  return p;
}


/**
 * Runs the CLI on `argv` (as process.argv: node, script, args) and returns the exit code.
 * Errors are printed to stderr as one message, every problem, and a hint naming the command
 * that was run; text that came from outside (an LLM, a target) is stripped of control characters.
 */
export async function runCli(argv: string[], err: (text: string) => void = (t) => void process.stderr.write(t)): Promise<number> {
  const before = process.exitCode;
  process.exitCode = undefined;
  const program = buildProgram();
  let command = '';
  program.hook('preAction', (_root, action) => {
    const names: string[] = [];
    for (let c: Command | null = action; c && c !== program; c = c.parent) names.unshift(c.name());
    command = names.join(' ');
  });
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (e) {
    if (e instanceof CommanderError) {
      const ok = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help';
      return ok ? EXIT.ok : EXIT.badInput;
    }
    if (e instanceof ScaleError) {
      err(`scale: ${safeText(e.message)}\n`);
      if (e.details.length) err(`${safeText(formatIssues(e.details))}\n`);
      const hint = hintFor(e, command);
      if (hint) err(`hint: ${hint}\n`);
    } else {
      err(`scale: ${safeText(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
    }
    return exitCodeFor(e);
  } finally {
    process.exitCode = before;
  }
}
