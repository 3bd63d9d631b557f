import type { Issue } from '../core/errors.js';
import { givenFlags, kebab, withFlagNames, type FlagTable } from '../spec/flag-names.js';

/**
 * The flag vocabulary of `scale simulate` and `scale compare`, turned into a simulation spec
 * input (over a --spec file when given) so that the CLI and `POST /api/simulate` share one
 * validator (SimSpecSchema). Pure. Values stay as typed where the schema reports better errors
 * than we could ("abc" for --pods becomes NaN: "expected number").
 *
 * SimFlags: the flags as commander parsed them (strings as typed; lists for repeatable flags).
 */
export interface SimFlags {
  spec?: string;
  name?: string;
  policy?: string;
  pods?: string;
  podConcurrency?: string;
  /** Service time of every pod (exp:5ms) or one (pod-3=exp:50ms); repeatable, in order. */
  podLatency?: string[];
  /** Aliases of podLatency (commander fills one shared list, in command-line order). */
  serviceTime?: string | string[];
  podServiceTime?: string[];
  podSpeed?: string[];
  podErrorRate?: string[];
  rate?: string;
  load?: string;
  arrival?: string;
  burst?: string;
  users?: string;
  spawnRate?: string;
  thinkTime?: string;
  requests?: string;
  duration?: string;
  seed?: string;
  balancers?: string;
  spread?: string;
  mode?: string;
  choices?: string;
  decay?: string;
  weights?: string;
  capacity?: string;
  maxConnections?: string;
  /** Alias of maxConnections. */
  connections?: string;
  requestsPerConnection?: string;
  keepAlive?: boolean;
  fail?: string[];
  recover?: string[];
  scale?: string[];
  warmup?: string;
  slowStart?: string;
  timeout?: string;
  window?: string;
  thresholdBalance?: string;
  thresholdP99?: string;
  thresholdErrorRate?: string;
  thresholdMaxShareRatio?: string;
  json?: boolean;
  policies?: string;
  rankBy?: string;
}

type Obj = Record<string, unknown>;

/** Flags over a simulation spec (or {}). Pure apart from pushing flag-only problems to `issues`. */
export function flagsToSimSpec(f: SimFlags, base: Obj, issues: Issue[]): Obj {
  const s: Obj = structuredClone(base);
  const set = (k: string, v: unknown) => v !== undefined && (s[k] = v);
  set('name', f.name);
  set('policy', f.policy);
  set('pods', f.pods !== undefined ? num(f.pods) : undefined);
  set('podConcurrency', f.podConcurrency !== undefined ? num(f.podConcurrency) : undefined);
  set('requests', f.requests !== undefined ? num(f.requests) : undefined);
  set('duration', f.duration);
  set('seed', f.seed !== undefined ? num(f.seed) : undefined);
  set('balancers', f.balancers !== undefined ? num(f.balancers) : undefined);
  set('spread', f.spread);
  set('mode', f.mode);
  set('weights', f.weights !== undefined ? list(f.weights) : undefined);
  set('timeout', f.timeout);
  set('window', f.window);
  if (f.capacity !== undefined) s.expect = { capacity: list(f.capacity) };
  if (f.choices !== undefined || f.decay !== undefined || f.slowStart !== undefined) {
    s.policyOptions = {
      ...(s.policyOptions as Obj),
      ...(f.choices !== undefined ? { choices: num(f.choices) } : {}),
      ...(f.decay !== undefined ? { decay: f.decay } : {}),
      ...(f.slowStart !== undefined ? { slowStart: f.slowStart } : {}),
    };
  }
  const behaviour = [...((s.podBehaviour as Obj[] | undefined) ?? [])];
  const latency = latencyFlag(f);
  for (const v of latency.values) {
    const eq = v.indexOf('=');
    const [pod, value] = eq < 0 ? [undefined, v] : [v.slice(0, eq), v.slice(eq + 1)];
    if (!value || pod === '') issues.push({ path: latency.flag, message: `"${v}": use <pod>=<distribution>, or a distribution for every pod` });
    else if (pod === undefined) s.serviceTime = value;
    else behaviour.push({ pods: [pod], latency: value });
  }
  for (const [flag, values, key, conv] of [
    ['--pod-speed', f.podSpeed, 'speed', num],
    ['--pod-error-rate', f.podErrorRate, 'errorRate', num],
  ] as const) {
    for (const v of values ?? []) {
      const [pod, value] = v.includes('=') ? v.split('=', 2) : [undefined, v];
      if (!value || pod === '') issues.push({ path: flag, message: `"${v}": use <pod>=<value>${key === 'errorRate' ? ' or <value> for every pod' : ''}` });
      else if (pod === undefined && key !== 'errorRate') issues.push({ path: flag, message: `"${v}": name the pod, e.g. pod-3=${value}` });
      else behaviour.push({ ...(pod ? { pods: [pod] } : {}), [key]: conv(value) });
    }
  }
  if (behaviour.length > 0) s.podBehaviour = behaviour;
  const closed = f.users !== undefined || f.spawnRate !== undefined || f.thinkTime !== undefined;
  const open = f.rate !== undefined || f.load !== undefined || f.arrival !== undefined || f.burst !== undefined;
  if (closed && open) issues.push({ path: '--users', message: 'the closed model (--users, --spawn-rate, --think-time) cannot take --rate, --load, --arrival or --burst' });
  else if (closed) {
    const l: Obj = { model: 'closed' };
    if (f.users !== undefined) l.users = num(f.users);
    if (f.spawnRate !== undefined) l.spawnRate = num(f.spawnRate);
    if (f.thinkTime !== undefined) l.thinkTime = f.thinkTime;
    s.load = l;
  } else if (open) {
    const prev = (s.load as Obj | undefined)?.model === 'open' ? (s.load as Obj) : { model: 'open' };
    const l: Obj = { ...prev };
    if (f.rate !== undefined || f.load !== undefined) for (const k of ['rate', 'load', 'stages']) delete l[k];
    if (f.rate !== undefined) l.rate = num(f.rate);
    if (f.load !== undefined) l.load = num(f.load);
    if (f.arrival !== undefined) l.arrival = f.arrival;
    if (f.burst !== undefined) {
      const [on, off] = f.burst.split(/[/,]/);
      if (!on || !off) issues.push({ path: '--burst', message: `"${f.burst}": use <on>/<off>, e.g. 1s/4s` });
      l.burst = { on, off };
    }
    if (l.rate === undefined && l.load === undefined && l.stages === undefined) l.load = 0.8;
    s.load = l;
  }
  if (f.maxConnections !== undefined && f.connections !== undefined && f.maxConnections !== f.connections)
    issues.push({ path: '--connections', message: `is another name for --max-connections, which says ${f.maxConnections}: give one of them` });
  const maxConnections = f.maxConnections ?? f.connections;
  if (maxConnections !== undefined || f.requestsPerConnection !== undefined || f.keepAlive !== undefined) {
    const c: Obj = { ...(s.connections as Obj) };
    if (maxConnections !== undefined) c.maxConnections = num(maxConnections);
    if (f.requestsPerConnection !== undefined) c.requestsPerConnection = num(f.requestsPerConnection);
    if (f.keepAlive !== undefined) c.keepAlive = f.keepAlive;
    s.connections = c;
  }
  const events = [...((s.events as Obj[] | undefined) ?? [])];
  for (const [flag, values, type] of [['--fail', f.fail, 'fail'], ['--recover', f.recover, 'recover'], ['--scale', f.scale, 'scale']] as const) {
    for (const v of values ?? []) {
      const [what, at] = v.split('@');
      if (!what || !at) issues.push({ path: flag, message: `"${v}": use ${type === 'scale' ? '<pods>@<time>, e.g. 12@30s' : '<pod>@<time>, e.g. pod-2@10s'}` });
      else events.push(type === 'scale' ? { type, at, to: num(what) } : { type, at, pods: [what] });
    }
  }
  if (events.length > 0) s.events = events;
  if (f.warmup !== undefined) {
    const [duration, factor] = f.warmup.split(',');
    if (!duration || factor === undefined) issues.push({ path: '--warmup', message: `"${f.warmup}": use <duration>,<factor>, e.g. 30s,3` });
    s.warmup = { duration, factor: num(factor ?? '') };
  }
  const t: Obj = { ...(s.thresholds as Obj) };
  if (f.thresholdBalance !== undefined) t.balance = num(f.thresholdBalance);
  if (f.thresholdP99 !== undefined) t.p99 = f.thresholdP99;
  if (f.thresholdErrorRate !== undefined) t.errorRate = num(f.thresholdErrorRate);
  if (f.thresholdMaxShareRatio !== undefined) t.maxShareRatio = num(f.thresholdMaxShareRatio);
  if (Object.keys(t).length > 0) s.thresholds = t;
  return s;
}

/**
 * --pod-latency and its aliases (--service-time, --pod-service-time) as one list in the order
 * typed, with the flag to name in a message. Commander fills one shared list; programmatic
 * callers may pass separate ones (then in the order of the flags above).
 */
function latencyFlag(f: SimFlags): { flag: string; values: string[] } {
  const lists = [f.podLatency, typeof f.serviceTime === 'string' ? [f.serviceTime] : f.serviceTime, f.podServiceTime];
  const values = [...new Set(lists.filter((l): l is string[] => l !== undefined))].flat();
  const flag = f.podLatency ? '--pod-latency' : f.serviceTime !== undefined ? '--service-time' : '--pod-service-time';
  return { flag, values };
}

/** Spec paths, by the flags that set them, so that a message names the flag the user typed. */
const FLAGS_OF: FlagTable = {
  podConcurrency: ['--pod-concurrency'],
  serviceTime: ['--pod-latency', '--service-time', '--pod-service-time'],
  podBehaviour: ['--pod-latency', '--service-time', '--pod-service-time', '--pod-speed', '--pod-error-rate'],
  'load.rate': ['--rate'],
  'load.load': ['--load'],
  'load.arrival': ['--arrival'],
  'load.burst': ['--burst'],
  'load.users': ['--users'],
  'load.spawnRate': ['--spawn-rate'],
  'load.thinkTime': ['--think-time'],
  load: ['--rate', '--load', '--users'],
  'policyOptions.choices': ['--choices'],
  'policyOptions.decay': ['--decay'],
  'policyOptions.slowStart': ['--slow-start'],
  'connections.maxConnections': ['--max-connections', '--connections'],
  'connections.requestsPerConnection': ['--requests-per-connection'],
  events: ['--fail', '--recover', '--scale'],
  warmup: ['--warmup'],
  'expect.capacity': ['--capacity'],
  'thresholds.balance': ['--threshold-balance'],
  'thresholds.p99': ['--threshold-p99'],
  'thresholds.errorRate': ['--threshold-error-rate'],
  'thresholds.maxShareRatio': ['--threshold-max-share-ratio'],
  ...Object.fromEntries(['pods', 'policy', 'requests', 'duration', 'seed', 'balancers', 'spread', 'mode', 'weights', 'timeout', 'window', 'name'].map((k) => [k, [`--${kebab(k)}`]])),
};

/** Names the flags the user typed (`f`) in the issues of a simulation spec. */
export function withSimFlagNames(issues: Issue[], f: SimFlags): Issue[] {
  return withFlagNames(issues, FLAGS_OF, givenFlags(f));
}

export { kebab } from '../spec/flag-names.js';

/** A flag's number as typed; an empty string is NaN (the schema reports it). */
export const num = (v: string): number => (v.trim() === '' ? Number.NaN : Number(v));
/** A comma-separated list of numbers. */
export const list = (v: string): number[] => v.split(',').map(num);
