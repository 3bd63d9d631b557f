import { describe, expect, it } from '@jest/globals';
import { flagsToSpec, givenFlags, withFlagNames } from '../../src/cli/flags-to-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';

describe('flagsToSpec', () => {
  it('maps the issue example flags to an open-model lab spec', () => {
    const { spec, issues } = flagsToSpec({ target: 'lab', pods: '5', policy: 'round-robin', mode: 'l7', model: 'open', rate: '500', duration: '10s' });
    expect(issues).toEqual([]);
    const s = parseTestSpec(spec);
    expect(s.target).toMatchObject({ kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l7' });
    expect(s.load).toEqual({ model: 'open', stages: [{ rate: 500, duration: '10s', ramp: false }] });
  });

  it('maps the closed model, connections, weights and per-pod latency', () => {
    const { spec } = flagsToSpec({
      model: 'closed', users: '50', spawnRate: '10', keepAlive: false, maxConnections: '2', policy: 'weighted-round-robin', weights: '5,1,1,1,1',
      podLatency: ['exp:10ms', 'pod-3=exp:100ms'],
    });
    const s = parseTestSpec(spec);
    expect(s.load).toMatchObject({ model: 'closed', users: 50, spawnRate: 10 });
    expect(s.connections).toMatchObject({ keepAlive: false, maxConnections: 2 });
    expect(s.target).toMatchObject({ weights: [5, 1, 1, 1, 1], podBehaviour: [{ latency: 'exp:10ms' }, { pods: ['pod-3'], latency: 'exp:100ms' }] });
  });

  it('--pods and --pod-names declare the pods behind a --url; --capacity takes names', () => {
    const count = flagsToSpec({ url: 'http://127.0.0.1:8080/', pods: '5' });
    expect(count.issues).toEqual([]);
    expect(parseTestSpec(count.spec).target).toEqual({ kind: 'url', url: 'http://127.0.0.1:8080/', podHeader: 'x-scale-pod', pods: 5 });
    const named = flagsToSpec({ url: 'http://127.0.0.1:8080/', podNames: 'web-a, web-b,web-c', capacity: 'web-a=2,web-b=1,web-c=1' });
    expect(named.issues).toEqual([]);
    const s = parseTestSpec(named.spec);
    expect(s.target).toMatchObject({ kind: 'url', pods: ['web-a', 'web-b', 'web-c'] });
    expect(s.expect).toEqual({ capacity: { 'web-a': 2, 'web-b': 1, 'web-c': 1 } });
    expect(flagsToSpec({ url: 'http://127.0.0.1:8080/', pods: '4', podNames: 'a,b' }).issues).toEqual([{ path: '--pod-names', message: 'names 2 pods but --pods says 4' }]);
    expect(flagsToSpec({ podNames: 'a,b' }).issues[0].message).toMatch(/names the pods behind a URL target/);
  });

  it('--threshold-max-share-ratio sets thresholds.maxShareRatio, and a bad value is named by its flag', () => {
    expect(parseTestSpec(flagsToSpec({ thresholdMaxShareRatio: '1.5' }).spec).thresholds).toEqual({ balance: 0.95, maxShareRatio: 1.5 });
    const f = { thresholdMaxShareRatio: '0.9' };
    let details: Array<{ path: string; message: string }> = [];
    try {
      parseTestSpec(flagsToSpec(f).spec);
    } catch (e) {
      details = withFlagNames((e as { details: Array<{ path: string; message: string }> }).details, givenFlags(f));
    }
    expect(details.map((d) => d.path)).toEqual(['thresholds.maxShareRatio (--threshold-max-share-ratio)']);
  });

  it('parses --stages with ramps', () => {
    const { spec, issues } = flagsToSpec({ stages: '200:10s,ramp:1000:20s' });
    expect(issues).toEqual([]);
    expect(parseTestSpec(spec).load).toEqual({
      model: 'open',
      stages: [{ rate: 200, duration: '10s', ramp: false }, { rate: 1000, duration: '20s', ramp: true }],
    });
  });

  it('flags override a spec file', () => {
    const base = { name: 'from-file', target: { kind: 'lab', pods: 3, policy: 'random' }, load: { model: 'open', stages: [{ rate: 100, duration: '5s' }] } };
    const { spec } = flagsToSpec({ rate: '300' }, base);
    const s = parseTestSpec(spec);
    expect(s.name).toBe('from-file');
    expect(s.target).toMatchObject({ pods: 3, policy: 'random' });
    expect(s.load).toEqual({ model: 'open', stages: [{ rate: 300, duration: '5s', ramp: false }] });
  });

  it('reports flags that do not fit the model and malformed values', () => {
    const { issues } = flagsToSpec({ model: 'open', users: '5', podLatency: ['pod-3='], stages: '200' });
    expect(issues.map((i) => i.path).sort()).toEqual(['--pod-latency', '--stages', '--users']);
    const noRate = flagsToSpec({ model: 'open' });
    expect(noRate.issues.map((i) => i.path)).toEqual(['--rate']);
  });

  it('--rate/--duration are the TestSpec shorthand: the same validated spec as stages', () => {
    const flags = parseTestSpec(flagsToSpec({ rate: '200', duration: '10s' }).spec);
    const short = parseTestSpec({ load: { model: 'open', rate: 200, duration: '10s' } });
    const staged = parseTestSpec({ load: { model: 'open', stages: [{ rate: 200, duration: '10s' }] } });
    expect(flags).toEqual(short);
    expect(flags).toEqual(staged);
    expect(flagsToSpec({ rate: '200', duration: '10s' }).spec.load).toEqual({ model: 'open', rate: 200, duration: '10s' });
  });

  it('--rate with --stages is refused; so is flattening a base of several stages', () => {
    expect(flagsToSpec({ rate: '100', stages: '200:10s' }).issues.map((i) => i.path)).toEqual(['--rate']);
    expect(flagsToSpec({ duration: '5s', stages: '200:10s' }).issues.map((i) => i.path)).toEqual(['--duration']);
    const spike = { load: { model: 'open', stages: [{ rate: 200, duration: '10s' }, { rate: 800, duration: '5s' }, { rate: 200, duration: '10s' }] } };
    const r = flagsToSpec({ duration: '3s' }, spike, { label: 'scenario spike', params: ['base', 'peak', 'before', 'spike', 'after'] });
    expect(r.issues).toEqual([{ path: '--duration', message: 'would flatten the 3 stages of scenario spike into one constant stage: use --param (it takes base, peak, before, spike, after) or --stages instead' }]);
    expect(flagsToSpec({ rate: '9' }, spike, { label: 'scenario x', params: ['rate'] }).issues[0].message).toMatch(/use --param rate=\.\.\. instead/);
    expect(flagsToSpec({ rate: '50' }, spike).issues[0].message).toMatch(/flatten the 3 stages of the --spec file .* use --stages instead/);
  });

  it('a flag that replaces the base load with another model says so', () => {
    const r = flagsToSpec({ model: 'closed', users: '5' }, { load: { model: 'open', stages: [{ rate: 1, duration: '2s' }] } });
    expect(r.issues).toEqual([]);
    expect(r.warnings).toEqual([{ path: '--model', message: 'replaces the open load of the --spec file (1 stage) with a closed one' }]);
  });

  it('aliases: --service-time is --pod-latency, --connections is --max-connections', () => {
    const a = flagsToSpec({ serviceTime: ['exp:9ms'], connections: '7' }).spec;
    const b = flagsToSpec({ podLatency: ['exp:9ms'], maxConnections: '7' }).spec;
    expect(a).toEqual(b);
    expect(flagsToSpec({ maxConnections: '7', connections: '8' }).issues.map((i) => i.path)).toEqual(['--connections']);
  });

  it('names the flag the user typed in schema messages, or none', () => {
    const issues = [
      { path: 'target.pods', message: 'x' },
      { path: 'name', message: 'y' },
      { path: 'load.stages.0.rate', message: 'z' },
    ];
    expect(withFlagNames(issues, givenFlags({ pods: '99', rate: '1' }))).toEqual([
      { path: 'target.pods (--pods)', message: 'x' },
      { path: 'name', message: 'y' },
      { path: 'load.stages.0.rate (--rate)', message: 'z' },
    ]);
    // From a --spec file: no flag was typed, none is named.
    expect(withFlagNames(issues, givenFlags({ spec: 'f.json' }))).toEqual(issues);
    expect(withFlagNames([{ path: 'target.podBehaviour.0.latency', message: 'w' }], givenFlags({ serviceTime: ['x'] }))).toEqual([
      { path: 'target.podBehaviour.0.latency (--service-time)', message: 'w' },
    ]);
  });
});
