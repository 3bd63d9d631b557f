import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { ValidationError } from '../../src/core/errors.js';
import { compareCommand, registerSimulateCommands, simulateCommand, type SimIo } from '../../src/cli/simulate-command.js';

function capture(): SimIo & { text: () => string } {
  let buf = '';
  return { out: (t) => void (buf += t), colour: false, text: () => buf };
}

async function problems(run: () => Promise<unknown>): Promise<string[]> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details.map((d) => d.path);
  }
  throw new Error('expected a ValidationError');
}

let dir = '';
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'scale-sim-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scale simulate', () => {
  it('--json prints the Result plus simulated requests per second; the same seed prints the same Result', async () => {
    const flags = { policy: 'power-of-two', pods: '8', podConcurrency: '2', serviceTime: 'exp:5ms', load: '0.9', requests: '20000', seed: '3', balancers: '2', json: true };
    const a = capture();
    expect(await simulateCommand(flags, [], a)).toBe(0);
    const ra = JSON.parse(a.text());
    expect(ra.totals.requests).toBe(20_000);
    expect(ra.simulatedRequestsPerSecond).toBeGreaterThan(0);
    expect(ra.simulation).toMatchObject({ requests: 20_000, balancers: 2, mode: 'l7', seed: 3 });
    expect(ra.pods).toHaveLength(8);
    const b = capture();
    await simulateCommand(flags, [], b);
    const rb = JSON.parse(b.text());
    const strip = (r: Record<string, unknown>) => ({ ...r, simulatedRequestsPerSecond: 0, simulation: 0 });
    expect(strip(rb)).toEqual(strip(ra));
  });

  it('prints the run report and the simulation speed without --json', async () => {
    const io = capture();
    await simulateCommand({ pods: '3', requests: '3000', podSpeed: ['pod-2=0.5'], fail: ['pod-3@1s'] }, [], io);
    expect(io.text()).toMatch(/balance\s+score/);
    expect(io.text()).toMatch(/simulated 3,000 requests .* simulated requests\/s/);
  });

  it('the report header gives durations as the user writes them (40s, not 40000ms)', async () => {
    const io = capture();
    await simulateCommand({ pods: '2', rate: '50', duration: '40s' }, [], io);
    const header = io.text().split('\n').find((l) => l.startsWith('simulation')) ?? '';
    expect(header).toContain('open 50/s×40s');
    expect(header).not.toMatch(/\d{4,}ms/);
    const closed = capture();
    await simulateCommand({ pods: '2', users: '4', duration: '1m30s', json: true }, [], closed);
    expect(JSON.parse(closed.text()).spec.load.duration).toBe('1m30s');
    // without a duration the header shows the estimate, in the same units
    const counted = capture();
    await simulateCommand({ pods: '2', rate: '50', requests: '2000' }, [], counted);
    expect(counted.text()).toContain('open 50/s×40s');
  });

  it('lists every bad flag at once', async () => {
    const paths = await problems(() =>
      simulateCommand({ pods: '0', policy: 'fastest', rate: '10', users: '5', podSpeed: ['0.5'], fail: ['pod-2'], serviceTime: 'slow', burst: 'x' }, ['--bogus'], capture()),
    );
    for (const p of ['--bogus', 'pods (--pods)', 'policy (--policy)', '--users', '--pod-speed', '--fail', 'serviceTime (--service-time)']) expect(paths).toContain(p);
  });

  it('--spec with a lab TestSpec simulates it without sockets (the keep-alive case: imbalanced, exit 1)', async () => {
    const file = join(dir, 'ka.json');
    writeFileSync(file, JSON.stringify({ name: 'ka', target: { kind: 'lab', pods: 5, mode: 'l4', podBehaviour: [{ latency: 'exp:2ms' }] }, load: { model: 'open', stages: [{ rate: 200, duration: '3s' }] }, connections: { keepAlive: true, maxConnections: 2 } }));
    const io = capture();
    expect(await simulateCommand({ spec: file, json: true }, [], io)).toBe(1);
    const r = JSON.parse(io.text());
    expect(r.spec.name).toBe('ka');
    expect(r.balance.verdict).toBe('imbalanced');
    expect(await problems(() => simulateCommand({ spec: file, pods: '3' }, [], capture()))).toEqual(['--pods']);
    const url = join(dir, 'url.json');
    writeFileSync(url, JSON.stringify({ target: { kind: 'url', url: 'http://127.0.0.1:9/' } }));
    expect(await problems(() => simulateCommand({ spec: url }, [], capture()))).toEqual(['--spec target.kind']);
  });

  it('--spec with a simulation spec takes flags over it', async () => {
    const file = join(dir, 'sim.json');
    writeFileSync(file, JSON.stringify({ pods: 4, requests: 1000, policy: 'least-connections' }));
    const io = capture();
    await simulateCommand({ spec: file, requests: '2000', json: true }, [], io);
    const r = JSON.parse(io.text());
    expect(r.totals.requests).toBe(2000);
    expect(r.pods).toHaveLength(4);
    expect(r.spec.target.policy).toBe('least-connections');
  });

  it('registers simulate and compare on a commander program', async () => {
    const program = new Command('scale').exitOverride();
    const io = capture();
    registerSimulateCommands(program, io);
    expect(program.commands.map((c) => c.name())).toEqual(['simulate', 'compare']);
    const before = process.exitCode;
    try {
      await program.parseAsync(['node', 'scale', 'simulate', '--pods', '2', '--requests', '500', '--no-keep-alive', '--connections', '1', '--json']);
      expect(JSON.parse(io.text()).totals.requests).toBe(500);
      expect(process.exitCode).toBe(0);
    } finally {
      process.exitCode = before;
    }
  });
});

describe('scale compare', () => {
  it('ranks the chosen policies (and parameter values); --json gives the rows', async () => {
    const io = capture();
    await compareCommand({ policies: 'round-robin,power-of-two,least-connections', choices: '2,3', pods: '5', requests: '5000', podSpeed: ['pod-3=0.2'], rankBy: 'p99', json: true }, [], io);
    const out = JSON.parse(io.text());
    expect(out.rankBy).toBe('p99');
    expect(out.rows.map((r: { label: string }) => r.label).sort()).toEqual(['least-connections', 'power-of-two(choices=2)', 'power-of-two(choices=3)', 'round-robin']);
    expect(out.rows.at(-1).label).toBe('round-robin');
  });

  it('prints a ranked table; bad --policies, --rank-by and --choices are reported together', async () => {
    const io = capture();
    await compareCommand({ policies: 'random,round-robin', requests: '2000' }, [], io);
    expect(io.text()).toMatch(/ranked by balance/);
    expect(io.text().split('\n').filter((l) => /^\s+[12]\s/.test(l))).toHaveLength(2);
    expect(await problems(() => compareCommand({ policies: 'nope', rankBy: 'speed', choices: '0' }, [], capture()))).toEqual(['--policies', '--rank-by', '--choices']);
  });
});
