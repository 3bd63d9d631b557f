import { describe, expect, it } from '@jest/globals';
import { flagsToSpec, withFlagNames } from '../../src/cli/flags-to-spec.js';
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
    expect(noRate.issues.map((i) => i.path)).toEqual(['load.stages (--rate)']);
  });

  it('names the flag in schema messages', () => {
    expect(withFlagNames([{ path: 'target.pods', message: 'x' }, { path: 'name', message: 'y' }])).toEqual([
      { path: 'target.pods (--pods)', message: 'x' },
      { path: 'name', message: 'y' },
    ]);
  });
});
