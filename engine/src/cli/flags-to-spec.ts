import type { Issue } from '../core/errors.js';
import { withFlagNames as namedBy, type FlagTable } from '../spec/flag-names.js';
import type { TestSpecInput } from '../spec/test-spec.js';

/**
 * Turns `scale run` flags into a TestSpec input (merged over a --spec file when given), so the
 * CLI and the API share one validator. Pure. Values stay as typed by the user where the schema
 * reports better errors than we could ("abc" for --pods becomes NaN: "expected number").
 */
export interface RunFlags {
  spec?: string;
  name?: string;
  target?: string;
  url?: string;
  podHeader?: string;
  pods?: string;
  /** The pods behind a URL target, comma-separated. */
  podNames?: string;
  policy?: string;
  mode?: string;
  weights?: string;
  choices?: string;
  hashKey?: string;
  slowStart?: string;
  podLatency?: string[];
  /** Alias of podLatency (the simulator's name); both options fill one list in command-line order. */
  serviceTime?: string[];
  podConcurrency?: string;
  podErrorRate?: string[];
  model?: string;
  rate?: string;
  stages?: string;
  duration?: string;
  users?: string;
  spawnRate?: string;
  thinkTime?: string;
  keepAlive?: boolean;
  maxConnections?: string;
  /** Alias of maxConnections (the simulator's former name). */
  connections?: string;
  requestsPerConnection?: string;
  capacity?: string;
  thresholdBalance?: string;
  thresholdP99?: string;
  thresholdErrorRate?: string;
  thresholdMaxShareRatio?: string;
  timeout?: string;
  path?: string;
  seed?: string;
  namespace?: string;
  service?: string;
  selector?: string;
  balancer?: string;
  route?: string;
  threads?: string;
  workers?: string;
}

/**
 * Which flags set which spec path: an issue at that path names the flag the user typed (of
 * these), or none when the value came from a --spec file or a scenario.
 */
export const FLAGS_OF_PATH: FlagTable = {
  'target.kind': ['--target', '--url'],
  'target.url': ['--url'],
  'target.podHeader': ['--pod-header'],
  'target.namespace': ['--namespace'],
  'target.service': ['--service'],
  'target.selector': ['--selector'],
  'target.balancer': ['--balancer'],
  'target.route': ['--route'],
  'target.pods': ['--pods', '--pod-names'],
  'target.policy': ['--policy'],
  'target.mode': ['--mode'],
  'target.weights': ['--weights'],
  'target.policyOptions.choices': ['--choices'],
  'target.policyOptions.hashKey': ['--hash-key'],
  'target.policyOptions.slowStart': ['--slow-start'],
  'target.podBehaviour': ['--pod-latency', '--service-time', '--pod-error-rate', '--pod-concurrency'],
  'load.model': ['--model'],
  'load.users': ['--users'],
  'load.spawnRate': ['--spawn-rate'],
  'load.rate': ['--rate'],
  'load.duration': ['--duration'],
  'load.thinkTime': ['--think-time'],
  'load.stages': ['--stages', '--rate', '--duration'],
  'connections.keepAlive': ['--no-keep-alive', '--keep-alive'],
  'connections.maxConnections': ['--max-connections', '--connections'],
  'connections.requestsPerConnection': ['--requests-per-connection'],
  'expect.capacity': ['--capacity'],
  'thresholds.balance': ['--threshold-balance'],
  'thresholds.p99': ['--threshold-p99'],
  'thresholds.errorRate': ['--threshold-error-rate'],
  'thresholds.maxShareRatio': ['--threshold-max-share-ratio'],
  'request.timeout': ['--timeout'],
  'request.path': ['--path'],
  name: ['--name'],
  seed: ['--seed'],
  threads: ['--threads'],
  'load.workers': ['--workers'],
};

/** Names the flags the user typed in the issues of a `scale run` spec (spec/flag-names.ts). */
export function withFlagNames(issues: Issue[], given: ReadonlySet<string>): Issue[] {
  return namedBy(issues, FLAGS_OF_PATH, given);
}

/** Where the flags' base came from, so that a message can name it. */
export interface FlagBase {
  /** "the --spec file", "scenario spike". */
  label: string;
  /** The scenario's parameters, which reshape it properly (--param duration=...). */
  params?: readonly string[];
}

type Obj = Record<string, unknown>;

/**
 * Builds the spec input. `base` is the parsed --spec file or scenario (or {}); flags override
 * its fields. Problems that only flags can have (a malformed --pod-latency, --rate with
 * --stages, a flag that would reshape the base's load) are returned as issues, not thrown; a
 * flag that replaces a whole part of the base (another load model) is returned as a warning.
 */
export function flagsToSpec(f: RunFlags, base: Obj = {}, from: FlagBase = { label: 'the --spec file' }): { spec: Obj; issues: Issue[]; warnings: Issue[] } {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const spec: Obj = structuredClone(base);
  const sub = (k: string): Obj => (spec[k] = (spec[k] as Obj | undefined) ?? {}) as Obj;
  if (f.name !== undefined) spec.name = f.name;

  const clusterFlags = [f.namespace, f.service, f.selector, f.balancer, f.route].some((v) => v !== undefined);
  const kind = f.target ?? (clusterFlags ? 'kubernetes' : f.url !== undefined ? 'url' : undefined);
  if (kind !== undefined || hasLabFlags(f)) {
    const t = sub('target');
    if (kind !== undefined) t.kind = kind;
    t.kind ??= 'lab';
    if (f.url !== undefined) t.url = f.url;
    if (f.namespace !== undefined) t.namespace = f.namespace;
    if (f.service !== undefined) t.service = f.service;
    if (f.selector !== undefined) t.selector = f.selector;
    if (f.balancer !== undefined) t.balancer = f.balancer;
    if (f.route !== undefined) t.route = f.route;
    if (f.podHeader !== undefined) t.podHeader = f.podHeader;
    if (f.pods !== undefined) t.pods = num(f.pods);
    if (f.podNames !== undefined) {
      const names = f.podNames.split(',').map((n) => n.trim());
      if (t.kind !== 'url') issues.push({ path: '--pod-names', message: 'names the pods behind a URL target (--url); lab pods are pod-1..pod-N' });
      else if (f.pods !== undefined && num(f.pods) !== names.length) issues.push({ path: '--pod-names', message: `names ${names.length} pods but --pods says ${f.pods}` });
      t.pods = names;
    }
    if (f.policy !== undefined) t.policy = f.policy;
    if (f.mode !== undefined) t.mode = f.mode;
    if (f.weights !== undefined) t.weights = list(f.weights);
    if (f.choices !== undefined || f.hashKey !== undefined || f.slowStart !== undefined) {
      const o = (t.policyOptions = (t.policyOptions as Obj | undefined) ?? {}) as Obj;
      if (f.choices !== undefined) o.choices = num(f.choices);
      if (f.hashKey !== undefined) o.hashKey = f.hashKey;
      if (f.slowStart !== undefined) o.slowStart = f.slowStart;
    }
    const behaviour = (t.podBehaviour = [...((t.podBehaviour as Obj[] | undefined) ?? [])]);
    if (f.podConcurrency !== undefined) behaviour.push({ concurrency: num(f.podConcurrency) });
    for (const v of f.podLatency ?? f.serviceTime ?? []) {
      const e = podValue(v, f.podLatency ? '--pod-latency' : '--service-time', issues);
      if (e) behaviour.push({ ...(e.pod ? { pods: [e.pod] } : {}), latency: e.value });
    }
    for (const v of f.podErrorRate ?? []) {
      const e = podValue(v, '--pod-error-rate', issues);
      if (e) behaviour.push({ ...(e.pod ? { pods: [e.pod] } : {}), errorRate: num(e.value) });
    }
    if (behaviour.length === 0) delete t.podBehaviour;
  }

  loadFromFlags(f, spec, from, issues, warnings);

  if (f.maxConnections !== undefined && f.connections !== undefined && f.maxConnections !== f.connections)
    issues.push({ path: '--connections', message: `is another name for --max-connections, which says ${f.maxConnections}: give one of them` });
  const maxConnections = f.maxConnections ?? f.connections;
  if (f.keepAlive !== undefined || maxConnections !== undefined || f.requestsPerConnection !== undefined) {
    const c = sub('connections');
    if (f.keepAlive !== undefined) c.keepAlive = f.keepAlive;
    if (maxConnections !== undefined) c.maxConnections = num(maxConnections);
    if (f.requestsPerConnection !== undefined) c.requestsPerConnection = num(f.requestsPerConnection);
  }
  if (f.capacity !== undefined) spec.expect = { capacity: capacity(f.capacity, issues) };
  if (f.thresholdBalance !== undefined) sub('thresholds').balance = num(f.thresholdBalance);
  if (f.thresholdP99 !== undefined) sub('thresholds').p99 = f.thresholdP99;
  if (f.thresholdErrorRate !== undefined) sub('thresholds').errorRate = num(f.thresholdErrorRate);
  if (f.thresholdMaxShareRatio !== undefined) sub('thresholds').maxShareRatio = num(f.thresholdMaxShareRatio);
  if (f.timeout !== undefined) sub('request').timeout = f.timeout;
  if (f.path !== undefined) sub('request').path = f.path;
  if (f.seed !== undefined) spec.seed = num(f.seed);
  if (f.threads !== undefined) spec.threads = num(f.threads);
  if (f.workers !== undefined) {
    const l = sub('load');
    l.model = l.model ?? 'closed';
    l.workers = num(f.workers);
  }
  return { spec, issues, warnings };
}

/**
 * The load flags over the base's load. The open model is written as the flags say it: --stages
 * as stages, --rate/--duration as the shorthand (one constant stage), or as that one stage when
 * the base has exactly one. Flags never flatten a base of several stages (a scenario's spike
 * would become a constant rate), and --rate/--duration never mix with --stages.
 */
function loadFromFlags(f: RunFlags, spec: Obj, from: FlagBase, issues: Issue[], warnings: Issue[]): void {
  const shortFlags = (['--rate', '--duration'] as const).filter((k) => (k === '--rate' ? f.rate : f.duration) !== undefined);
  const model = f.model ?? (f.rate !== undefined || f.stages !== undefined ? 'open' : undefined);
  if (model === undefined && f.users === undefined && f.spawnRate === undefined && f.duration === undefined && f.thinkTime === undefined) return;
  const prev = (spec.load as Obj | undefined) ?? {};
  const m = model ?? (prev.model as string | undefined) ?? 'closed';
  const l: Obj = m === prev.model ? { ...prev } : { model: m };
  if (prev.model !== undefined && m !== prev.model)
    warnings.push({ path: f.model !== undefined ? '--model' : f.stages !== undefined ? '--stages' : '--rate', message: `replaces the ${String(prev.model)} load of ${from.label} (${describeLoad(prev)}) with ${m === 'open' ? 'an' : 'a'} ${m} one` });
  spec.load = l;
  if (m === 'open') {
    if (f.stages !== undefined) {
      for (const flag of shortFlags) issues.push({ path: flag, message: '--stages gives every stage its rate and duration: give --stages, or --rate/--duration for one constant stage, not both' });
      delete l.rate;
      delete l.duration;
      l.stages = stages(f.stages, issues);
    } else if (shortFlags.length > 0) {
      const base = Array.isArray(l.stages) ? (l.stages as Obj[]) : undefined;
      if (base && base.length > 1) {
        const name = shortFlags[0].slice(2);
        const instead = !from.params ? '--stages' : from.params.includes(name) ? `--param ${name}=...` : `--param (it takes ${from.params.join(', ')}) or --stages`;
        for (const flag of shortFlags)
          issues.push({ path: flag, message: `would flatten the ${base.length} stages of ${from.label} into one constant stage: use ${instead} instead` });
      } else if (base) {
        const stage = { ...base[0] };
        if (f.rate !== undefined) stage.rate = num(f.rate);
        if (f.duration !== undefined) stage.duration = f.duration;
        l.stages = [stage];
      } else {
        if (f.rate !== undefined) l.rate = num(f.rate);
        if (f.duration !== undefined) l.duration = f.duration;
      }
    }
    if (l.stages === undefined && l.rate === undefined) issues.push({ path: '--rate', message: 'the open model needs --rate (one constant stage) or --stages' });
    for (const [flag, v] of [['--users', f.users], ['--spawn-rate', f.spawnRate], ['--think-time', f.thinkTime]] as const)
      if (v !== undefined) issues.push({ path: flag, message: 'applies to the closed model only (--model closed)' });
  } else {
    if (f.users !== undefined) l.users = num(f.users);
    if (f.spawnRate !== undefined) l.spawnRate = num(f.spawnRate);
    if (f.duration !== undefined) l.duration = f.duration;
    if (f.thinkTime !== undefined) l.thinkTime = f.thinkTime;
    for (const [flag, v] of [['--rate', f.rate], ['--stages', f.stages]] as const)
      if (v !== undefined) issues.push({ path: flag, message: 'applies to the open model only (--model open)' });
  }
}

function describeLoad(l: Obj): string {
  if (Array.isArray(l.stages)) return `${l.stages.length} stage${l.stages.length === 1 ? '' : 's'}`;
  if (l.rate !== undefined) return `${String(l.rate)}/s`;
  return l.users !== undefined ? `${String(l.users)} users` : 'its defaults';
}

function hasLabFlags(f: RunFlags): boolean {
  return [f.pods, f.podNames, f.policy, f.mode, f.weights, f.choices, f.hashKey, f.slowStart, f.podLatency, f.serviceTime, f.podConcurrency, f.podErrorRate, f.podHeader].some(
    (v) => v !== undefined,
  );
}

/** "pod-3=exp:100ms" → { pod: 'pod-3', value: 'exp:100ms' }; "exp:100ms" → all pods. */
function podValue(v: string, flag: string, issues: Issue[]): { pod?: string; value: string } | undefined {
  const eq = v.indexOf('=');
  if (eq < 0) return { value: v };
  const pod = v.slice(0, eq);
  const value = v.slice(eq + 1);
  if (!pod || !value) {
    issues.push({ path: flag, message: `"${v}": use <pod>=<value> or <value> for every pod` });
    return undefined;
  }
  return { pod, value };
}

/** "200:10s,1000:20s,ramp:500:10s" → stages; a "ramp:" prefix ramps to the rate. */
function stages(v: string, issues: Issue[]): Obj[] {
  return v.split(',').map((part) => {
    const bits = part.trim().split(':');
    const ramp = bits[0] === 'ramp';
    if (ramp) bits.shift();
    if (bits.length !== 2) issues.push({ path: '--stages', message: `"${part}": use <rate>:<duration>, e.g. 200:10s or ramp:1000:20s` });
    return { rate: num(bits[0] ?? ''), duration: bits[1] ?? '', ramp };
  });
}

/** "2,1,1" → [2, 1, 1] (pod order); "web-a=2,web-b=1" → { "web-a": 2, "web-b": 1 } (by name). */
function capacity(v: string, issues: Issue[]): number[] | Record<string, number> {
  if (!v.includes('=')) return list(v);
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const e = podValue(part.trim(), '--capacity', issues);
    if (!e) continue;
    if (e.pod === undefined) issues.push({ path: '--capacity', message: `"${part}": use <pod>=<capacity> for every pod, or a plain list` });
    else out[e.pod] = num(e.value);
  }
  return out;
}

const num = (v: string): number => (v.trim() === '' ? Number.NaN : Number(v));
const list = (v: string): number[] => v.split(',').map(num);

export { givenFlags } from '../spec/flag-names.js';
