import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../src/core/errors.js';
import { planLab } from '../../src/runs/plan.js';
import { LIMITS } from '../../src/spec/limits.js';
import { TestSpecSchema } from '../../src/spec/test-spec.js';
import { toIssues } from '../../src/spec/validate.js';
import { LabTargetAdapter } from '../../src/targets/lab-target.js';

const pathsOf = (input: unknown): string[] => {
  const r = TestSpecSchema.safeParse(input);
  return r.success ? [] : toIssues(r.error).map((i) => i.path);
};

describe('the open-model shorthand', () => {
  it('rate + duration is one constant stage, the same spec as writing the stage', () => {
    const short = TestSpecSchema.parse({ load: { model: 'open', rate: 200, duration: '10s' } });
    const staged = TestSpecSchema.parse({ load: { model: 'open', stages: [{ rate: 200, duration: '10s' }] } });
    expect(short).toEqual(staged);
    expect(short.load).toEqual({ model: 'open', stages: [{ rate: 200, duration: '10s', ramp: false }] });
  });

  it('duration defaults to 30s, as in the closed model', () => {
    expect(TestSpecSchema.parse({ load: { model: 'open', rate: 50 } }).load).toEqual({ model: 'open', stages: [{ rate: 50, duration: '30s', ramp: false }] });
  });

  it.each([
    [{ model: 'open', rate: 10, stages: [{ rate: 1, duration: '2s' }] }, ['load.rate']],
    [{ model: 'open', duration: '5s', stages: [{ rate: 1, duration: '2s' }] }, ['load.duration']],
    [{ model: 'open', duration: '5s' }, ['load.rate']],
    [{ model: 'open' }, ['load.stages']],
    [{ model: 'open', rate: 60_000, duration: '2h' }, ['load.duration', 'load.rate']],
    [{ model: 'open', rate: 10, duration: '500ms' }, ['load.duration']],
  ])('%j is refused at %j', (load, paths) => {
    expect(pathsOf({ load }).sort()).toEqual(paths);
  });

  it('faults are checked against the shorthand load length', () => {
    expect(pathsOf({ load: { model: 'open', rate: 10, duration: '5s' }, faults: [{ type: 'latency', at: '6s' }] })).toEqual(['faults.0.at']);
  });
});

/** Specs a lab cannot run, and settings that contradict each other: refused with every problem. */
const REFUSED: Array<[string, unknown, string[]]> = [
  ['more pods than the lab runs', { target: { kind: 'lab', pods: LIMITS.maxPods + 1 } }, ['target.pods']],
  ['a service time the lab refuses', { target: { kind: 'lab', podBehaviour: [{ latency: 'exp:2m' }] } }, ['target.podBehaviour.0.latency']],
  ['a uniform service time beyond the lab', { target: { kind: 'lab', podBehaviour: [{ latency: 'uniform:1ms,61s' }] } }, ['target.podBehaviour.0.latency']],
  ['too many request slots', { target: { kind: 'lab', podBehaviour: [{ concurrency: LIMITS.maxPodConcurrency + 1 }] } }, ['target.podBehaviour.0.concurrency']],
  ['too large a response', { target: { kind: 'lab', podBehaviour: [{ responseBytes: LIMITS.maxResponseBytes + 1 }] } }, ['target.podBehaviour.0.responseBytes']],
  ['a connection header', { request: { headers: { Connection: 'close' } } }, ['request.headers.Connection']],
  ['a header value with a line break', { request: { headers: { 'x-a': 'a\r\nx-b: b' } } }, ['request.headers.x-a']],
  ['a path with a space', { request: { path: '/a b' } }, ['request.path']],
  ['a name with an escape sequence', { name: 'x\u001b[2J' }, ['name']],
  ['choices under round-robin', { target: { kind: 'lab', policy: 'round-robin', policyOptions: { choices: 3 } } }, ['target.policyOptions.choices']],
  ['decay under power-of-two', { target: { kind: 'lab', policy: 'power-of-two', policyOptions: { decay: '5s' } } }, ['target.policyOptions.decay']],
  ['a hash key under random', { target: { kind: 'lab', policy: 'random', policyOptions: { hashKey: 'path' } } }, ['target.policyOptions.hashKey']],
  ['unequal weights under least-connections', { target: { kind: 'lab', policy: 'least-connections', weights: [5, 1, 1, 1, 1] } }, ['target.weights']],
  ['recycling without keep-alive', { connections: { keepAlive: false, requestsPerConnection: 10 } }, ['connections.requestsPerConnection']],
  ['more threads than connections', { threads: 4, connections: { maxConnections: 2 } }, ['threads']],
  ['more load workers than connections', { load: { model: 'closed', workers: 4 }, connections: { maxConnections: 2 } }, ['load.workers']],
];

describe('refused before anything starts', () => {
  it.each(REFUSED)('%s', (_what, input, paths) => {
    expect(pathsOf(input).sort()).toEqual(paths);
  });

  it('every problem at once', () => {
    const all = { target: { kind: 'lab', pods: 40, policy: 'round-robin', policyOptions: { choices: 3 } }, connections: { keepAlive: false, requestsPerConnection: 5 }, name: 'a\u0007' };
    expect(pathsOf(all).sort()).toEqual(['connections.requestsPerConnection', 'name', 'target.pods', 'target.policyOptions.choices']);
  });

  it('equal weights, options the policy reads and a header the client does not own are fine', () => {
    expect(pathsOf({ target: { kind: 'lab', policy: 'round-robin', weights: [1, 1, 1, 1, 1] } })).toEqual([]);
    expect(pathsOf({ target: { kind: 'lab', policy: 'peak-ewma', policyOptions: { choices: 3, decay: '5s' } } })).toEqual([]);
    expect(pathsOf({ request: { headers: { host: 'shop.example', 'x-user': 'a b' } } })).toEqual([]);
  });

  it('the largest lab spec the schema accepts is one the lab accepts (the limits are the same)', () => {
    const spec = TestSpecSchema.parse({
      target: {
        kind: 'lab',
        pods: LIMITS.maxPods,
        podBehaviour: [{ latency: `uniform:0ms,${LIMITS.maxServiceMs}ms`, concurrency: LIMITS.maxPodConcurrency, responseBytes: LIMITS.maxResponseBytes, errorRate: 1, errorStatus: 599 }],
        ejectAfterFailures: 100,
      },
    });
    const target = spec.target;
    if (target.kind !== 'lab') throw new Error('lab expected');
    expect(() => LabTargetAdapter.check(planLab(target))).not.toThrow();
    const over = { ...planLab(target), pods: Array.from({ length: LIMITS.maxPods + 1 }, (_, i) => ({ name: `pod-${i + 1}`, behaviour: {}, weight: 1 })) };
    expect(() => LabTargetAdapter.check(over)).toThrow(ValidationError);
  });
});
