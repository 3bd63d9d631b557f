import type { Issue } from '../core/errors.js';
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
  requestsPerConnection?: string;
  capacity?: string;
  thresholdBalance?: string;
  thresholdP99?: string;
  thresholdErrorRate?: string;
  timeout?: string;
  path?: string;
  seed?: string;
  workers?: string;
}

/** Which flag sets which spec path: used to name the flag in validation messages. */
export const FLAG_OF_PATH: Record<string, string> = {
  'target.kind': '--target',
  'target.url': '--url',
  'target.podHeader': '--pod-header',
  'target.pods': '--pods',
  'target.policy': '--policy',
  'target.mode': '--mode',
  'target.weights': '--weights',
  'target.policyOptions.choices': '--choices',
  'target.policyOptions.hashKey': '--hash-key',
  'target.policyOptions.slowStart': '--slow-start',
  'load.model': '--model',
  'load.users': '--users',
  'load.spawnRate': '--spawn-rate',
  'load.duration': '--duration',
  'load.thinkTime': '--think-time',
  'load.stages': '--rate/--stages/--duration',
  'connections.maxConnections': '--max-connections',
  'connections.requestsPerConnection': '--requests-per-connection',
  'expect.capacity': '--capacity',
  'thresholds.balance': '--threshold-balance',
  'thresholds.p99': '--threshold-p99',
  'thresholds.errorRate': '--threshold-error-rate',
  'request.timeout': '--timeout',
  'request.path': '--path',
  seed: '--seed',
  workers: '--workers',
};

/** Adds the flag name to each issue whose path a flag sets. */
export function withFlagNames(issues: Issue[]): Issue[] {
  return issues.map((i) => {
    const key = Object.keys(FLAG_OF_PATH).find((p) => i.path === p || i.path.startsWith(`${p}.`));
    return key ? { ...i, path: `${i.path} (${FLAG_OF_PATH[key]})` } : i;
  });
}

type Obj = Record<string, unknown>;

/**
 * Builds the spec input. `base` is the parsed --spec file (or {}); flags override its fields.
 * Problems that only flags can have (a malformed --pod-latency) are returned, not thrown.
 */
export function flagsToSpec(f: RunFlags, base: Obj = {}): { spec: Obj; issues: Issue[] } {
  const issues: Issue[] = [];
  const spec: Obj = structuredClone(base);
  const sub = (k: string): Obj => (spec[k] = (spec[k] as Obj | undefined) ?? {}) as Obj;
  if (f.name !== undefined) spec.name = f.name;

  const kind = f.target ?? (f.url !== undefined ? 'url' : undefined);
  if (kind !== undefined || hasLabFlags(f)) {
    const t = sub('target');
    if (kind !== undefined) t.kind = kind;
    t.kind ??= 'lab';
    if (f.url !== undefined) t.url = f.url;
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
    for (const v of f.podLatency ?? []) {
      const e = podValue(v, '--pod-latency', issues);
      if (e) behaviour.push({ ...(e.pod ? { pods: [e.pod] } : {}), latency: e.value });
    }
    for (const v of f.podErrorRate ?? []) {
      const e = podValue(v, '--pod-error-rate', issues);
      if (e) behaviour.push({ ...(e.pod ? { pods: [e.pod] } : {}), errorRate: num(e.value) });
    }
    if (behaviour.length === 0) delete t.podBehaviour;
  }

  const model = f.model ?? (f.rate !== undefined || f.stages !== undefined ? 'open' : undefined);
  if (model !== undefined || f.users !== undefined || f.spawnRate !== undefined || f.duration !== undefined || f.thinkTime !== undefined) {
    const l = sub('load');
    const m = model ?? (l.model as string | undefined) ?? 'closed';
    if (m !== l.model) for (const k of Object.keys(l)) delete l[k];
    l.model = m;
    if (m === 'open') {
      if (f.stages !== undefined) l.stages = stages(f.stages, issues);
      else if (f.rate !== undefined || f.duration !== undefined) {
        const prev = (l.stages as Obj[] | undefined)?.[0] ?? {};
        l.stages = [{ rate: f.rate !== undefined ? num(f.rate) : prev.rate, duration: f.duration ?? prev.duration ?? '30s' }];
        if ((l.stages as Obj[])[0].rate === undefined) issues.push({ path: 'load.stages (--rate)', message: 'the open model needs --rate or --stages' });
      } else if (!l.stages) issues.push({ path: 'load.stages (--rate)', message: 'the open model needs --rate or --stages' });
      for (const [flag, v] of [['--users', f.users], ['--spawn-rate', f.spawnRate], ['--think-time', f.thinkTime]] as const)
        if (v !== undefined) issues.push({ path: flag, message: 'applies to the closed model only (--model closed)' });
    } else {
      if (f.users !== undefined) l.users = num(f.users);
      if (f.spawnRate !== undefined) l.spawnRate = num(f.spawnRate);
      if (f.duration !== undefined) l.duration = f.duration;
      if (f.thinkTime !== undefined) l.thinkTime = f.thinkTime;
      if (f.rate !== undefined || f.stages !== undefined)
        issues.push({ path: '--rate', message: 'applies to the open model only (--model open)' });
    }
  }

  if (f.keepAlive !== undefined || f.maxConnections !== undefined || f.requestsPerConnection !== undefined) {
    const c = sub('connections');
    if (f.keepAlive !== undefined) c.keepAlive = f.keepAlive;
    if (f.maxConnections !== undefined) c.maxConnections = num(f.maxConnections);
    if (f.requestsPerConnection !== undefined) c.requestsPerConnection = num(f.requestsPerConnection);
  }
  if (f.capacity !== undefined) spec.expect = { capacity: capacity(f.capacity, issues) };
  if (f.thresholdBalance !== undefined) sub('thresholds').balance = num(f.thresholdBalance);
  if (f.thresholdP99 !== undefined) sub('thresholds').p99 = f.thresholdP99;
  if (f.thresholdErrorRate !== undefined) sub('thresholds').errorRate = num(f.thresholdErrorRate);
  if (f.timeout !== undefined) sub('request').timeout = f.timeout;
  if (f.path !== undefined) sub('request').path = f.path;
  if (f.seed !== undefined) spec.seed = num(f.seed);
  if (f.workers !== undefined) spec.workers = num(f.workers);
  return { spec, issues };
}

function hasLabFlags(f: RunFlags): boolean {
  return [f.pods, f.podNames, f.policy, f.mode, f.weights, f.choices, f.hashKey, f.slowStart, f.podLatency, f.podConcurrency, f.podErrorRate, f.podHeader].some(
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
