import { describe, expect, it } from '@jest/globals';
import { exitCodeOf } from '../../src/cli/run-command.js';
import { Lab } from '../../src/lab/lab.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { ValidationError } from '../../src/core/errors.js';
import { useCleanup } from '../lab/lab-fixture.js';
import { runSpec } from '../helpers/run-spec.js';

/**
 * A URL target sees only the pods that answer. A real L4 balancer (kube-proxy style: it places
 * connections) behind a URL with 2 keep-alive connections over 5 pods starves 3 of them: unless
 * the run knows 5 pods stand behind the URL, it sees 2 even pods and calls them balanced. Here
 * the balancer is the lab's L4 proxy, reached as a plain URL (the run does not know it is a lab).
 */
describe('acceptance: pods declared behind a URL', () => {
  const track = useCleanup();
  const l4Lab = async () =>
    track(await Lab.start({ pods: Array.from({ length: 5 }, (_, i) => ({ name: `pod-${i + 1}`, behaviour: { latency: { kind: 'exp', meanMs: 2 } } })), policy: 'round-robin', mode: 'l4' }));
  const spec = (url: string, pods: number | string[] | undefined) => ({
    name: 'l4-behind-url',
    target: { kind: 'url' as const, url, ...(pods !== undefined ? { pods } : {}) },
    load: { model: 'open' as const, stages: [{ rate: 200, duration: '3s' }] },
    connections: { keepAlive: true, maxConnections: 2 },
    thresholds: { balance: 0.95 },
  });

  it('5 declared pods, 2 keep-alive connections: imbalanced, 3 pods at 0 requests, exit 1', async () => {
    const lab = await l4Lab();
    const r = await runSpec(spec(lab.url, 5));
    expect(r.balance.verdict).toBe('imbalanced');
    expect(r.balance.basis).toBe('requests');
    expect(r.pods).toHaveLength(5);
    expect(r.pods.filter((p) => p.requests === 0).map((p) => p.name)).toEqual(['unseen-1', 'unseen-2', 'unseen-3']);
    expect(r.declaredPods).toEqual({ count: 5, silent: ['unseen-1', 'unseen-2', 'unseen-3'], undeclared: [] });
    expect(r.thresholds.find((t) => t.name === 'balance')?.pass).toBe(false);
    expect(exitCodeOf(r)).toBe(1);
    // every window too: the starved pods are in each window's score
    expect(r.timeline.filter((w) => w.requests > 100).every((w) => w.verdict === 'imbalanced')).toBe(true);
  }, 60_000);

  it('declared by name: the silent pods are named, and a capacity by name is used', async () => {
    const lab = await l4Lab();
    const names = ['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5'];
    const r = await runSpec({ ...spec(lab.url, names), expect: { capacity: { 'pod-1': 2, 'pod-2': 2, 'pod-3': 1, 'pod-4': 1, 'pod-5': 1 } } });
    expect(r.declaredPods?.silent).toHaveLength(3);
    expect(r.declaredPods?.silent.every((p) => names.includes(p))).toBe(true);
    expect(r.pods.map((p) => p.name)).toEqual(names);
    expect(r.pods.map((p) => p.expectedShare)).toEqual([2 / 7, 2 / 7, 1 / 7, 1 / 7, 1 / 7].map((x) => expect.closeTo(x, 9)));
    expect(r.balance.verdict).toBe('imbalanced');
  }, 60_000);

  it('without the declaration the two answering pods look even: what the declaration is for', async () => {
    const lab = await l4Lab();
    const r = await runSpec(spec(lab.url, undefined));
    expect(r.pods).toHaveLength(2);
    expect(r.balance.verdict).toBe('balanced');
    expect(r.declaredPods).toBeUndefined();
  }, 60_000);

  it('an unknown pod name in expect.capacity is a validation error, never ignored', () => {
    const issues = (input: unknown) => {
      try {
        parseTestSpec(input);
      } catch (e) {
        if (e instanceof ValidationError) return e.details;
        throw e;
      }
      return [];
    };
    expect(issues({ ...spec('http://127.0.0.1:9/', ['web-a', 'web-b']), expect: { capacity: { 'web-a': 1, 'web-c': 2 } } })).toEqual([
      { path: 'expect.capacity', message: 'no pod "web-c" (pods are web-a, web-b)' },
    ]);
    // a capacity needs names to be placed on a URL target
    expect(issues({ ...spec('http://127.0.0.1:9/', 3), expect: { capacity: [1, 1, 2] } })[0].message).toMatch(/name the pods behind the URL/);
    // and a lab's capacity by name must name its pods
    expect(issues({ target: { kind: 'lab', pods: 2 }, expect: { capacity: { 'pod-3': 1 } } })).toEqual([{ path: 'expect.capacity', message: 'no pod "pod-3" (pods are pod-1..pod-2)' }]);
  });
});
