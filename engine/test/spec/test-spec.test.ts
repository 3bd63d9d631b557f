import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../src/core/errors.js';
import { parseTestSpec } from '../../src/spec/validate.js';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseTestSpec(input);
  } catch (e) {
    if (e instanceof ValidationError) return e.details;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('TestSpec', () => {
  it('fills every default from an empty object', () => {
    const s = parseTestSpec({});
    expect(s.target).toEqual({ kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l7', ejectAfterFailures: 3 });
    expect(s.load).toEqual({ model: 'closed', users: 10, spawnRate: 10, duration: '30s' });
    expect(s.connections).toEqual({ keepAlive: true, maxConnections: 64, requestsPerConnection: 0 });
    expect(s.thresholds).toEqual({ balance: 0.95 });
  });

  it('accepts the example of ARCHITECTURE.md §4', () => {
    const s = parseTestSpec({
      name: 'spike-on-5-pods',
      target: { kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l7', weights: [1, 1, 1, 1, 1], podBehaviour: [{ latency: 'exp:20ms', errorRate: 0, concurrency: 64 }] },
      load: { model: 'open', stages: [{ rate: 200, duration: '10s' }, { rate: 1000, duration: '20s' }] },
      connections: { keepAlive: true, maxConnections: 64, requestsPerConnection: 0 },
      expect: { capacity: [1, 1, 1, 1, 1] },
      thresholds: { balance: 0.95, p99: '500ms', errorRate: 0.01 },
    });
    expect(s.load.model).toBe('open');
  });

  it('reports every problem at once, unknown fields included', () => {
    const issues = issuesOf({
      nme: 'typo',
      target: { kind: 'lab', pods: 3, policy: 'fastest', weights: [1, 1], podBehaviour: [{ pods: ['pod-9'], latency: 'exp:' }] },
      load: { model: 'open', stages: [{ rate: -5, duration: '10 parsecs' }] },
      connections: { maxConnections: 0, keepalive: true },
      thresholds: { p99: 'soon' },
      expect: { capacity: [1, 1] },
    });
    const paths = issues.map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        'connections.keepalive',
        'connections.maxConnections',
        'expect.capacity',
        'load.stages',
        'load.stages.0.duration',
        'load.stages.0.rate',
        'nme',
        'target.podBehaviour.0.latency',
        'target.podBehaviour.0.pods.0',
        'target.policy',
        'target.weights',
        'thresholds.p99',
      ].sort(),
    );
  });

  it('thresholds.maxShareRatio: a finite number above 1, every problem listed with the others', () => {
    expect(parseTestSpec({ thresholds: { maxShareRatio: 1.5 } }).thresholds).toEqual({ balance: 0.95, maxShareRatio: 1.5 });
    for (const bad of [0.9, 1, Number.NaN, Number.POSITIVE_INFINITY, '1.5', null]) {
      const issues = issuesOf({ load: { model: 'closed', users: 0 }, thresholds: { balance: 2, maxShareRatio: bad } });
      expect(issues.map((i) => i.path).sort()).toEqual(['load.users', 'thresholds.balance', 'thresholds.maxShareRatio']);
      expect(issues.find((i) => i.path === 'thresholds.maxShareRatio')?.message).toMatch(/above 1/);
    }
  });

  it.each([
    [{ load: { model: 'closed', users: 0 } }, 'load.users'],
    [{ load: { model: 'closed', users: 10001 } }, 'load.users'],
    [{ load: { model: 'closed', users: 1.5 } }, 'load.users'],
    [{ load: { model: 'closed', duration: '2h' } }, 'load.duration'],
    [{ load: { model: 'open', stages: [{ rate: 60000, duration: '10s' }] } }, 'load.stages.0.rate'],
    [{ load: { model: 'open', stages: [] } }, 'load.stages'],
    [{ load: { model: 'sideways' } }, 'load.model'],
    [{ target: { kind: 'url', url: 'ftp://127.0.0.1/' } }, 'target.url'],
    [{ target: { kind: 'lab', pods: 51 } }, 'target.pods'],
    [{ target: { kind: 'lab', weights: [0, 0, 0, 0, 0] } }, 'target.weights'],
    [{ target: { kind: 'lab', policyOptions: { hashKey: 'cookie' } } }, 'target.policyOptions.hashKey'],
    [{ request: { path: 'no-slash' } }, 'request.path'],
    [{ seed: -1 }, 'seed'],
    [{ workers: 0 }, 'workers'],
    ['not an object', ''],
  ])('%j is refused at %s', (input, path) => {
    expect(issuesOf(input).map((i) => i.path)).toContain(path);
  });
});
