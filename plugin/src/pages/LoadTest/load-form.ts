import { parseDuration } from '../../../../engine/src/core/duration';
import { POLICY_NAMES } from '../../../../engine/src/policies/policy';
import type { Issue, Stage, TestSpec } from '../../api/types';

/** The engine's balancing policies (`scale run --policy`): its own list, so a new policy appears here too. */
export const POLICIES = POLICY_NAMES;

/** The UI ranges of the original controls (the API allows more: ARCHITECTURE §4). */
export const UI_LIMITS = {
  users: { min: 10, max: 1000 },
  spawnRate: { min: 1, max: 100 },
  duration: { min: 10, max: 600 },
  rate: { min: 1, max: 50000 },
  pods: { min: 1, max: 32 },
} as const;

/** What the Load test form holds; `toSpec` turns it into a TestSpec, `fromSpec` back. */
export interface LoadForm {
  name: string;
  targetKind: 'lab' | 'url';
  pods: number;
  policy: string;
  mode: 'l7' | 'l4';
  url: string;
  podHeader: string;
  keepAlive: boolean;
  /** 0 = the engine's default. */
  maxConnections: number;
  model: 'closed' | 'open';
  users: number;
  spawnRate: number;
  /** Seconds. */
  duration: number;
  /** Requests per second (open model). */
  rate: number;
  /** Several stages from a scenario; null when the form's single rate and duration apply. */
  stages: Stage[] | null;
  /** Thresholds as typed ('' = the engine's default); the engine validates them. */
  balance: string;
  p99: string;
  errorRate: string;
  /** Most the hottest pod may take over its expected share (1.5 = 1.5×; '' = none). */
  maxShareRatio: string;
  /** The spec a scenario or the generator produced: fields the form does not show are kept from it. */
  base: TestSpec | null;
}

export const DEFAULT_FORM: LoadForm = {
  name: 'grafana-test',
  targetKind: 'lab',
  pods: 5,
  policy: 'round-robin',
  mode: 'l7',
  url: 'http://127.0.0.1:8080/',
  podHeader: 'x-scale-pod',
  keepAlive: true,
  maxConnections: 0,
  model: 'closed',
  users: 100,
  spawnRate: 10,
  duration: 60,
  rate: 200,
  stages: null,
  balance: '0.95',
  p99: '',
  errorRate: '',
  maxShareRatio: '',
  base: null,
};

/** A typed threshold: a number when it reads as one, else the text itself, so the engine names what is wrong. */
function threshold(v: string): number | string | undefined {
  const t = v.trim();
  if (t === '') {
    return undefined;
  }
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

export function toSpec(f: LoadForm): TestSpec {
  const base = f.base ?? ({} as Partial<TestSpec>);
  const baseTarget = base.target?.kind === 'lab' ? base.target : {};
  const target: TestSpec['target'] =
    f.targetKind === 'lab'
      ? { ...baseTarget, kind: 'lab', pods: f.pods, policy: f.policy, mode: f.mode }
      : { kind: 'url', url: f.url.trim(), podHeader: f.podHeader.trim() };
  const load: TestSpec['load'] =
    f.model === 'closed'
      ? {
          ...(base.load?.model === 'closed' ? base.load : {}),
          model: 'closed',
          users: f.users,
          spawnRate: f.spawnRate,
          duration: `${f.duration}s`,
        }
      : { model: 'open', stages: f.stages ?? [{ rate: f.rate, duration: `${f.duration}s` }] };
  const connections = {
    ...(base.connections ?? {}),
    keepAlive: f.keepAlive,
    ...(f.maxConnections > 0 ? { maxConnections: f.maxConnections } : {}),
  };
  const thresholds: Record<string, unknown> = { ...(base.thresholds ?? {}) };
  for (const [k, v] of [
    ['balance', f.balance],
    ['p99', f.p99],
    ['errorRate', f.errorRate],
    ['maxShareRatio', f.maxShareRatio],
  ] as const) {
    const t = threshold(v);
    if (t === undefined) {
      delete thresholds[k];
    } else {
      thresholds[k] = t;
    }
  }
  const { target: _t, load: _l, connections: _c, thresholds: _th, name: _n, ...rest } = base as TestSpec;
  return { ...rest, name: f.name.trim() || 'grafana-test', target, load, connections, thresholds } as TestSpec;
}

/** A spec's duration in seconds, read as the engine reads it (undefined when it is not one). */
const seconds = (d: string | undefined): number | undefined => {
  const ms = d === undefined ? undefined : parseDuration(d);
  return ms === undefined ? undefined : ms / 1000;
};

/**
 * The form for a spec the engine produced (a scenario, a generated scenario); the spec is kept as
 * its base. The engine answers with validated specs, whose open load always holds `stages` (it
 * turns the `rate` + `duration` shorthand into one stage itself).
 */
export function fromSpec(spec: TestSpec, current: LoadForm): LoadForm {
  const t = spec.target;
  const l = spec.load;
  const stages = l.model === 'open' ? (l.stages ?? []) : [];
  const total = stages.reduce((a, s) => a + (seconds(s.duration) ?? 0), 0);
  return {
    ...current,
    name: spec.name ?? current.name,
    targetKind: t.kind === 'url' ? 'url' : 'lab',
    // a URL target's `pods` names the pods it declares, not a lab's count
    pods: typeof t.pods === 'number' ? t.pods : current.pods,
    policy: t.policy ?? current.policy,
    mode: t.mode ?? current.mode,
    url: t.url ?? current.url,
    podHeader: t.podHeader ?? current.podHeader,
    keepAlive: spec.connections?.keepAlive ?? current.keepAlive,
    maxConnections: spec.connections?.maxConnections ?? current.maxConnections,
    model: l.model,
    users: l.users ?? current.users,
    spawnRate: l.spawnRate ?? current.spawnRate,
    duration: Math.round(l.model === 'closed' ? (seconds(l.duration) ?? current.duration) : total || current.duration),
    rate: stages[0]?.rate ?? current.rate,
    stages: stages.length > 1 || stages.some((s) => s.ramp) ? stages : null,
    balance: spec.thresholds?.balance !== undefined ? String(spec.thresholds.balance) : current.balance,
    p99: spec.thresholds?.p99 ?? '',
    errorRate: spec.thresholds?.errorRate !== undefined ? String(spec.thresholds.errorRate) : '',
    maxShareRatio: spec.thresholds?.maxShareRatio !== undefined ? String(spec.thresholds.maxShareRatio) : '',
    base: spec,
  };
}

/** The spec paths each form field stands for: the engine's problems at these paths are shown next to the field. */
export const FIELD_PATHS: Record<string, RegExp> = {
  name: /^name$/,
  pods: /^target\.(pods|podBehaviour|weights)(\.|$)/,
  policy: /^target\.(policy|policyOptions)(\.|$)/,
  mode: /^target\.mode$/,
  url: /^target(\.url)?$/,
  podHeader: /^target\.podHeader$/,
  maxConnections: /^connections(\.|$)/,
  users: /^load\.users$/,
  spawnRate: /^load\.spawnRate$/,
  duration: /^load(\.duration|\.stages(\.\d+\.duration)?)?$/,
  rate: /^load\.(rate|stages\.\d+\.rate)$/,
  balance: /^thresholds\.balance$/,
  p99: /^thresholds\.p99$/,
  errorRate: /^thresholds\.errorRate$/,
  maxShareRatio: /^thresholds\.maxShareRatio$/,
};

/** The engine's messages for one form field (a problem at `load.stages.0.rate` belongs to `rate`). */
export function issuesFor(field: string, issues: Issue[]): string[] {
  const re = FIELD_PATHS[field];
  return re ? issues.filter((i) => re.test(i.path)).map((i) => i.message) : [];
}

/** Paths some field shows; the rest are listed in the page's alert. */
export function shownPaths(issues: Issue[]): string[] {
  return issues.filter((i) => Object.values(FIELD_PATHS).some((re) => re.test(i.path))).map((i) => i.path);
}
