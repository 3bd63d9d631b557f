import { describe, expect, it } from '@jest/globals';
import { durationMs } from '../../src/core/duration.js';
import { ValidationError, type Issue } from '../../src/core/errors.js';
import { paramsFromFlags } from '../../src/scenarios/param-flags.js';
import { getScenario, listScenarios, parseScenarioParams, scenarioInfo, scenarioSpec } from '../../src/scenarios/registry.js';
import { parseTestSpec } from '../../src/spec/validate.js';

function issuesOf(fn: () => unknown): Issue[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.details;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const BUILT_INS = [
  'high-traffic',
  'spike',
  'sustained',
  'gradual-ramp',
  'diurnal',
  'thundering-herd',
  'scale-up-under-keep-alive',
  'slow-pod',
  'rolling-restart',
  'long-lived-connections',
];

/** The smallest and largest value of each bounded parameter, as strings (as the CLI sends them). */
function bounds(name: string): { min: Record<string, string>; max: Record<string, string> } {
  const min: Record<string, string> = {};
  const max: Record<string, string> = {};
  for (const p of scenarioInfo(getScenario(name)!).parameters) {
    if (p.minimum !== undefined) min[p.name] = String(p.minimum);
    if (p.maximum !== undefined) max[p.name] = String(p.maximum);
  }
  return { min, max };
}

describe('scenario library', () => {
  it('has the ten built-ins, seed four first, with kebab-case names and descriptions', () => {
    const all = listScenarios();
    expect(all.map((s) => s.name)).toEqual(BUILT_INS);
    for (const s of all) {
      expect(s.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(s.title.length).toBeGreaterThan(3);
      expect(s.description.length).toBeGreaterThan(60);
      expect(s.lookFor.length).toBeGreaterThan(60);
    }
  });

  it.each(BUILT_INS)('%s: default parameters give a valid spec', (name) => {
    const spec = parseTestSpec(scenarioSpec(name, {}));
    expect(spec.name).toBe(name);
  });

  it.each(BUILT_INS)('%s: all-minimum and all-maximum parameters give a valid spec', (name) => {
    const { min, max } = bounds(name);
    expect(Object.keys(min).length).toBeGreaterThan(0);
    for (const params of [min, max]) expect(() => parseTestSpec(scenarioSpec(name, params))).not.toThrow();
  });

  it.each(BUILT_INS)('%s: each parameter at its bound alone is either refused as a parameter or valid', (name) => {
    const { min, max } = bounds(name);
    const scenario = getScenario(name)!;
    for (const [k, v] of [...Object.entries(min), ...Object.entries(max)]) {
      const { issues } = parseScenarioParams(scenario, { [k]: v });
      // Cross-parameter rules (peak >= base, slowPod <= pods) may refuse one bound alone; then the
      // problem is named as a parameter, never as a broken spec.
      if (issues.length > 0) expect(issues.every((i) => i.path.startsWith('params.'))).toBe(true);
      else expect(() => parseTestSpec(scenarioSpec(name, { [k]: v }))).not.toThrow();
    }
  });

  it('reports every bad parameter at once, unknown ones included', () => {
    const issues = issuesOf(() => scenarioSpec('spike', { peak: 'lots', base: '-1', before: '10 parsecs', spike: '0s', bogus: '1' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['params.base', 'params.before', 'params.bogus', 'params.peak', 'params.spike']);
  });

  it('checks rules across parameters together with the others', () => {
    const issues = issuesOf(() => scenarioSpec('slow-pod', { pods: '3', slowPod: '4', rate: '0' }));
    expect(issues.map((i) => i.path).sort()).toEqual(['params.rate', 'params.slowPod']);
    expect(issues.find((i) => i.path === 'params.slowPod')?.message).toMatch(/only 3 pods/);
    expect(issuesOf(() => scenarioSpec('spike', { base: '500', peak: '400' })).map((i) => i.path)).toEqual(['params.peak']);
    expect(issuesOf(() => scenarioSpec('rolling-restart', { interval: '5s', downtime: '6s' })).map((i) => i.path)).toEqual(['params.downtime']);
    expect(issuesOf(() => scenarioSpec('scale-up-under-keep-alive', { at: '90s' })).map((i) => i.path)).toEqual(['params.at']);
  });

  it('takes parameters as CLI strings or JSON numbers', () => {
    const a = parseTestSpec(scenarioSpec('spike', { peak: '800' }));
    const b = parseTestSpec(scenarioSpec('spike', { peak: 800 }));
    expect(a).toEqual(b);
    expect(a.load).toEqual({
      model: 'open',
      stages: [
        { rate: 200, duration: '20s', ramp: false },
        { rate: 800, duration: '10s', ramp: false },
        { rate: 200, duration: '20s', ramp: false },
      ],
    });
    expect(issuesOf(() => scenarioSpec('spike', { peak: '' })).map((i) => i.path)).toEqual(['params.peak']);
  });

  it('finds scenarios by display name and refuses unknown ones with the list', () => {
    expect(getScenario('High Traffic')?.name).toBe('high-traffic');
    expect(getScenario('gradual_ramp')?.name).toBe('gradual-ramp');
    const [issue] = issuesOf(() => scenarioSpec('tsunami', {}));
    expect(issue.path).toBe('scenario');
    expect(issue.message).toContain('spike');
  });

  it('lists parameters with type, default and range', () => {
    const info = scenarioInfo(getScenario('spike')!);
    expect(info.parameters.find((p) => p.name === 'peak')).toEqual({
      name: 'peak',
      type: 'number',
      description: 'arrivals per second during the spike',
      default: 1000,
      minimum: 1,
      maximum: 50_000,
    });
    expect(info.parameters.find((p) => p.name === 'spike')).toMatchObject({ type: 'duration', default: '10s', minimum: '100ms', maximum: '20m' });
    const mode = scenarioInfo(getScenario('long-lived-connections')!).parameters.find((p) => p.name === 'mode');
    expect(mode).toMatchObject({ type: 'enum', default: 'l4', values: ['l4', 'l7'] });
    expect(parseTestSpec(info.example).name).toBe('spike');
  });
});

describe('scenario shapes', () => {
  it('diurnal follows a sine from the trough to the peak and back, each cycle', () => {
    const spec = parseTestSpec(scenarioSpec('diurnal', { min: '100', max: '900', period: '80s', cycles: '2' }));
    if (spec.load.model !== 'open') throw new Error('open model expected');
    const rates = spec.load.stages.map((s) => s.rate);
    expect(rates).toEqual([100, 217.16, 500, 782.84, 900, 782.84, 500, 217.16, 100, 217.16, 500, 782.84, 900, 782.84, 500, 217.16, 100]);
    expect(spec.load.stages.every((s) => s.duration === '10s')).toBe(true);
    expect(spec.load.stages.slice(1).every((s) => s.ramp)).toBe(true);
  });

  it('rolling restart: one pod-failure per pod, one interval apart, within settle + intervals + settle', () => {
    const spec = parseTestSpec(scenarioSpec('rolling-restart', { pods: '4', interval: '15s', downtime: '4s' }));
    if (spec.load.model !== 'open') throw new Error('open model expected');
    expect(durationMs(spec.load.stages[0].duration)).toBe(10_000 + 4 * 15_000 + 10_000);
    expect(spec.faults?.map((f) => [f.type, f.type === 'pod-failure' ? f.pods : [], f.at, f.duration])).toEqual([
      ['pod-failure', ['pod-1'], '10s', '4s'],
      ['pod-failure', ['pod-2'], '25s', '4s'],
      ['pod-failure', ['pod-3'], '40s', '4s'],
      ['pod-failure', ['pod-4'], '55s', '4s'],
    ]);
  });

  it('scale-up under keep-alive: L4, keep-alive, and a scale-up kept to the end of the load', () => {
    const spec = parseTestSpec(scenarioSpec('scale-up-under-keep-alive', { pods: '5', added: '5', at: '20s', duration: '60s' }));
    expect(spec.target).toMatchObject({ kind: 'lab', pods: 5, mode: 'l4' });
    expect(spec.connections).toEqual({ keepAlive: true, maxConnections: 32, requestsPerConnection: 0 });
    expect(spec.faults).toEqual([expect.objectContaining({ type: 'scale-up', count: 5, at: '20s', duration: '40s' })]);
  });

  it('slow pod makes exactly the chosen pod slower', () => {
    const spec = parseTestSpec(scenarioSpec('slow-pod', { pods: '4', slowPod: '3', slowLatency: '80ms' }));
    expect(spec.target).toMatchObject({ kind: 'lab', pods: 4 });
    if (spec.target.kind !== 'lab') throw new Error('lab expected');
    expect(spec.target.podBehaviour).toEqual([
      { latency: 'exp:5ms', concurrency: 8 },
      { pods: ['pod-3'], latency: 'exp:80ms' },
    ]);
  });

  it('long-lived connections: one user per connection, L4 by default', () => {
    const spec = parseTestSpec(scenarioSpec('long-lived-connections', { connections: '8' }));
    expect(spec.target).toMatchObject({ kind: 'lab', mode: 'l4', pods: 5 });
    expect(spec.load).toMatchObject({ model: 'closed', users: 8 });
    expect(spec.connections).toEqual({ keepAlive: true, maxConnections: 8, requestsPerConnection: 0 });
  });
});

describe('scenario over a base spec', () => {
  it('keeps the base target when it is a URL, and the base name, thresholds and request', () => {
    const spec = parseTestSpec(
      scenarioSpec('spike', { peak: '300' }, {
        name: 'checkout-spike',
        target: { kind: 'url', url: 'http://127.0.0.1:9/' },
        thresholds: { p99: '250ms' },
        request: { path: '/checkout' },
        load: { model: 'closed', users: 3 },
      }),
    );
    expect(spec.name).toBe('checkout-spike');
    expect(spec.target).toEqual({ kind: 'url', url: 'http://127.0.0.1:9/', podHeader: 'x-scale-pod' });
    expect(spec.thresholds.p99).toBe('250ms');
    expect(spec.request.path).toBe('/checkout');
    expect(spec.load.model).toBe('open');
  });

  it('merges a lab base target: the base keeps its policy, the scenario sets what it is about', () => {
    const spec = parseTestSpec(scenarioSpec('scale-up-under-keep-alive', {}, { target: { kind: 'lab', policy: 'least-connections', pods: 9 } }));
    expect(spec.target).toMatchObject({ kind: 'lab', policy: 'least-connections', pods: 5, mode: 'l4' });
  });

  it('refuses a lab-only scenario on another target, with the other problems', () => {
    const issues = issuesOf(() => scenarioSpec('slow-pod', { rate: '-3' }, { target: { kind: 'url', url: 'http://127.0.0.1:9/' } }));
    expect(issues.map((i) => i.path).sort()).toEqual(['params.rate', 'target.kind']);
  });

  it('reports base fields the schema refuses after the overlay, with bad parameters too', () => {
    const issues = issuesOf(() => scenarioSpec('spike', {}, { thresholds: { balance: 2 }, bogus: 1 } as never));
    expect(issues.map((i) => i.path).sort()).toEqual(['bogus', 'thresholds.balance']);
    const both = issuesOf(() => scenarioSpec('spike', { peak: 'x' }, { thresholds: { balance: 2 } }));
    expect(both.map((i) => i.path).sort()).toEqual(['params.peak', 'thresholds.balance']);
  });
});

describe('--param flags', () => {
  it('reads key=value pairs and reports every malformed one', () => {
    expect(paramsFromFlags(['peak=800', 'spike= 5s ', 'note=a=b'])).toEqual({ params: { peak: '800', spike: '5s', note: 'a=b' }, issues: [] });
    const { issues } = paramsFromFlags(['peak', '=3', 'base=1', 'base=2']);
    expect(issues.map((i) => i.message)).toEqual(['"peak" is not key=value (e.g. --param peak=800)', '"=3" is not key=value (e.g. --param peak=800)', '"base" is given twice']);
    expect(paramsFromFlags().params).toEqual({});
  });
});
