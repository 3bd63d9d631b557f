import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program.js';
import { specFromFlags } from '../../src/cli/run-command.js';
import { Lab } from '../../src/lab/lab.js';
import { LIMITS } from '../../src/spec/limits.js';

/**
 * Item 2 and 3 of the contract: every conflicting or unrunnable input is refused by the CLI
 * itself (exit 2), every problem listed and named by the flag the user typed, nothing started.
 * In process (runCli), with a spy on Lab.start as the proof that no lab came up.
 */
let dir = '';
const file = (name: string, spec: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(spec));
  return p;
};
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'scale-refusals-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  jest.restoreAllMocks();
});

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(['node', 'scale', ...args], (t) => void (err += t));
  return { code, err };
}

/** [what, argv, every problem expected (substrings of stderr), the command named in the hint] */
const CASES: Array<[string, () => string[], string[], string]> = [
  ['--rate with --stages', () => ['run', '--rate', '100', '--stages', '200:10s'], ['--rate: --stages gives every stage its rate and duration'], 'run'],
  ['--duration with --stages', () => ['run', '--duration', '5s', '--stages', '200:10s'], ['--duration: --stages gives every stage'], 'run'],
  ['--choices under a policy without choices', () => ['run', '--policy', 'round-robin', '--choices', '3'], ['target.policyOptions.choices (--choices): round-robin does not read choices'], 'run'],
  ['--hash-key under a policy that does not hash', () => ['run', '--policy', 'random', '--hash-key', 'path'], ['target.policyOptions.hashKey (--hash-key): random does not read hashKey'], 'run'],
  ['unequal --weights under a policy that ignores them', () => ['run', '--weights', '5,1,1,1,1'], ['target.weights (--weights): round-robin ignores balancer weights'], 'run'],
  ['--no-keep-alive with --requests-per-connection', () => ['run', '--no-keep-alive', '--requests-per-connection', '100'], ['connections.requestsPerConnection (--requests-per-connection): recycling a connection'], 'run'],
  ['--threads above --max-connections', () => ['run', '--threads', '4', '--max-connections', '2'], ['threads (--threads): 4 worker threads need at least 4 connections'], 'run'],
  ['--workers above --max-connections', () => ['run', '--workers', '4', '--max-connections', '2'], ['load.workers (--workers): 4 load workers (processes) need at least 4 connections'], 'run'],
  ['--max-connections and its alias disagreeing', () => ['run', '--max-connections', '2', '--connections', '3'], ['--connections: is another name for --max-connections'], 'run'],
  ['a flag that would flatten a scenario', () => ['run', '--scenario', 'spike', '--duration', '3s'], ['--duration: would flatten the 3 stages of scenario spike into one constant stage'], 'run'],
  ['more pods than the lab runs', () => ['run', '--pods', String(LIMITS.maxPods + 1)], [`target.pods (--pods): Too big: expected number to be <=${LIMITS.maxPods}`], 'run'],
  ['a service time the lab refuses', () => ['run', '--pod-latency', 'exp:2m'], ['target.podBehaviour.0.latency (--pod-latency): "exp:2m" is out of range (at most 60s)'], 'run'],
  ['the same through the alias names the alias', () => ['run', '--service-time', 'pod-2=exp:2m'], ['target.podBehaviour.0.latency (--service-time)'], 'run'],
  ['too many request slots per pod', () => ['run', '--pod-concurrency', String(LIMITS.maxPodConcurrency + 1)], ['target.podBehaviour.0.concurrency (--pod-concurrency)'], 'run'],
  ['a path the client cannot send', () => ['run', '--path', '/a b'], ['request.path (--path)'], 'run'],
  ['a name with an escape sequence', () => ['run', '--name', 'x\u001b]0;title\u0007'], ['name (--name): a name has no control characters'], 'run'],
  ['a spec file the lab cannot run names no flag', () => ['run', '--spec', file('pods.json', { target: { kind: 'lab', pods: 40 } })], ['target.pods: Too big'], 'run'],
  [
    'every problem at once',
    () => ['run', '--pods', '40', '--policy', 'least-connections', '--choices', '2', '--rate', '10', '--stages', '5:2s', '--no-keep-alive', '--requests-per-connection', '3'],
    ['--rate: --stages', 'target.pods (--pods)', 'target.policyOptions.choices (--choices)', 'connections.requestsPerConnection (--requests-per-connection)'],
    'run',
  ],
  ['simulate: --choices under round-robin', () => ['simulate', '--policy', 'round-robin', '--choices', '3'], ['policyOptions.choices (--choices): round-robin does not read choices'], 'simulate'],
  ['simulate: --no-keep-alive with --requests-per-connection', () => ['simulate', '--no-keep-alive', '--requests-per-connection', '5'], ['connections.requestsPerConnection (--requests-per-connection)'], 'simulate'],
  ['simulate: a flag a TestSpec --spec would ignore', () => ['simulate', '--spec', file('lab.json', { target: { kind: 'lab' }, load: { model: 'open', rate: 10, duration: '2s' } }), '--choices', '3'], ['--choices: cannot be combined with a TestSpec --spec'], 'simulate'],
  ['tune: --no-keep-alive with --requests-per-connection', () => ['tune', '--no-keep-alive', '--requests-per-connection', '5'], ['connections.requestsPerConnection (--requests-per-connection)'], 'tune'],
];

describe('refused by the CLI: exit 2, every problem listed, nothing started', () => {
  it.each(CASES)('%s', async (_what, argv, needles, command) => {
    const labStart = jest.spyOn(Lab, 'start');
    const r = await cli(argv());
    expect(r.code).toBe(2);
    for (const n of needles) expect(r.err).toContain(n);
    expect(r.err).toContain(`hint: fix the fields above; \`scale ${command} --help\` lists every flag`);
    // eslint-disable-next-line no-control-regex
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(labStart).not.toHaveBeenCalled();
  });
});

describe('one open model, three ways', () => {
  it('flags, a TestSpec with rate + duration and a TestSpec with stages give the same validated spec', async () => {
    const flags = await specFromFlags({ rate: '200', duration: '10s' });
    const short = await specFromFlags({ spec: file('short.json', { load: { model: 'open', rate: 200, duration: '10s' } }) });
    const staged = await specFromFlags({ spec: file('staged.json', { load: { model: 'open', stages: [{ rate: 200, duration: '10s' }] } }) });
    expect(flags).toEqual(short);
    expect(flags).toEqual(staged);
    expect(flags.load).toEqual({ model: 'open', stages: [{ rate: 200, duration: '10s', ramp: false }] });
  });
});

describe('stated, not silent', () => {
  it('scale compare takes unequal --weights (its candidates replace the policy): no conflict to refuse', async () => {
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const r = await cli(['compare', '--pods', '2', '--weights', '3,1', '--requests', '2000', '--policies', 'round-robin,weighted-round-robin']);
    out.mockRestore();
    expect(r).toEqual({ code: 0, err: '' });
  });

  it('scale simulate judges --threshold-max-share-ratio as a live run does (exit 1 naming the hottest pod)', async () => {
    let out = '';
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    const args = ['simulate', '--pods', '4', '--policy', 'weighted-round-robin', '--weights', '2,1,1,1', '--requests', '4000', '--seed', '1', '--json'];
    const failing = await cli([...args, '--threshold-max-share-ratio', '1.5']);
    const result = JSON.parse(out);
    out = '';
    const passing = await cli([...args, '--threshold-max-share-ratio', '1.7', '--threshold-balance', '0.8']);
    spy.mockRestore();
    expect(failing.code).toBe(1);
    // pod-1 takes 2/5 against 1/4: 1.6× its share
    expect(result.thresholds.find((t: { name: string }) => t.name === 'maxShareRatio')).toMatchObject({ pass: false, pod: 'pod-1' });
    expect(result.thresholds.find((t: { name: string }) => t.name === 'maxShareRatio').value).toBeCloseTo(1.6, 1);
    expect(passing.code).toBe(0);
  });

  it('a flag that replaces the load model of a --spec file is a warning on stderr, and the run goes on', async () => {
    const spec = file('open.json', { target: { kind: 'lab', pods: 2, podBehaviour: [{ latency: 'fixed:1ms' }] }, load: { model: 'open', stages: [{ rate: 5, duration: '1s' }] } });
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const r = await cli(['run', '--spec', spec, '--model', 'closed', '--users', '2', '--duration', '1s', '--quiet', '--json']);
    spy.mockRestore();
    out.mockRestore();
    expect(r.code).toBe(0);
    expect(writes.join('')).toContain('scale: warning: --model: replaces the open load of the --spec file (1 stage) with a closed one');
  }, 30_000);
});
