import { afterAll, describe, expect, it } from '@jest/globals';
import { LOOPBACK_ONLY, TargetAllowList } from '../../src/config/allow-list.js';
import { DEFAULT_KUBE_SETTINGS, KubeContext } from '../../src/k8s/kube-context.js';
import { LocalLauncher } from '../../src/load/distributed/local-launcher.js';
import { WorkerHub } from '../../src/load/distributed/worker-hub.js';
import { runDeps, type WorkerSetup } from '../../src/runs/default-deps.js';
import type { RunTick } from '../../src/runs/run-events.js';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';

/**
 * Acceptance: `load.workers: 3` runs the same worker program as 3 child processes over the
 * worker protocol and gives the same totals and verdict as one worker at the same arrival rate
 * (within 2%); a worker killed mid-run is reported on the timeline and the run completes with
 * the load it took stated.
 */
const RATE = 300;
const SECONDS = 4;
const spec = (workers: number) =>
  parseTestSpec({
    name: `distributed-${workers}`,
    seed: 7,
    target: { kind: 'lab', pods: 3, policy: 'round-robin' },
    load: { model: 'open', stages: [{ rate: RATE, duration: `${SECONDS}s` }], ...(workers > 1 ? { workers } : {}) },
  });

function setup(): WorkerSetup & { last?: LocalLauncher } {
  const hub = new WorkerHub();
  const s: WorkerSetup & { last?: LocalLauncher } = {
    hub,
    where: 'local',
    launcher: () => (s.last = new LocalLauncher(hub)),
  };
  return s;
}

describe('distributed load on local worker processes', () => {
  const workers = setup();
  const deps = runDeps(new TargetAllowList(LOOPBACK_ONLY), new KubeContext(DEFAULT_KUBE_SETTINGS), workers);
  afterAll(async () => {
    await workers.hub.close();
  });

  it('three workers give the totals and the verdict of one, within 2%', async () => {
    const one = new TestRun(spec(1), deps);
    await one.start();
    const r1 = await one.finished;
    const three = new TestRun(spec(3), deps);
    await three.start();
    const r3 = await three.finished;
    expect(r1.status).toBe('finished');
    expect(r3.status).toBe('finished');
    const planned = RATE * SECONDS;
    expect(Math.abs(r1.totals.requests - planned) / planned).toBeLessThan(0.02);
    expect(Math.abs(r3.totals.requests - r1.totals.requests) / r1.totals.requests).toBeLessThan(0.02);
    expect(r3.totals.errors).toBe(r1.totals.errors);
    expect(r3.balance.verdict).toBe(r1.balance.verdict);
    expect(r3.balance.verdict).toBe('balanced');
    // Each pod's count matches too (round-robin over the same arrivals).
    for (const p of r1.pods) expect(Math.abs(r3.pods.find((x) => x.name === p.name)!.requests - p.requests) / p.requests).toBeLessThan(0.02);
    expect(r3.workers).toEqual({ count: 3, lost: [], lostShare: 0 });
    expect(workers.last!.processes).toHaveLength(3);
  });

  it('a stop before the workers connected ends the run at once, having sent nothing', async () => {
    const run = new TestRun(spec(3), deps);
    await run.start();
    run.stop();
    const r = await run.finished;
    expect(r.status).toBe('stopped');
    expect(r.totals.requests).toBe(0);
    expect(workers.last!.processes.every((p) => p.exitCode !== null || p.signalCode !== null)).toBe(true);
  });

  it('a worker killed mid-run is on the timeline, and the run completes stating the load lost', async () => {
    const run = new TestRun(spec(3), deps);
    let killedAt = 0;
    run.on('tick', (t: RunTick) => {
      if (t.elapsed >= 1.5 && killedAt === 0) {
        killedAt = t.elapsed;
        workers.last!.processes[1].kill('SIGKILL');
      }
    });
    await run.start();
    const r = await run.finished;
    expect(r.status).toBe('finished');
    expect(r.events?.filter((e) => e.kind === 'worker-lost').map((e) => e.worker)).toEqual([1]);
    expect(r.workers?.lost.map((l) => l.index)).toEqual([1]);
    const lost = r.workers!.lostRequests!;
    // At least worker 1's third of the arrivals after the kill, at most its whole third (a worker
    // behind schedule when it dies takes its backlog with it).
    expect(lost).toBeGreaterThanOrEqual(Math.floor(((SECONDS - killedAt) * RATE) / 3) - 5);
    expect(lost).toBeLessThanOrEqual((SECONDS * RATE) / 3);
    expect(r.workers!.lostShare).toBeCloseTo(lost / (RATE * SECONDS), 6);
    // What was sent plus what was lost is the plan (the killed worker's in-flight requests aside).
    expect(Math.abs(r.totals.requests + lost - RATE * SECONDS)).toBeLessThan(RATE * SECONDS * 0.03);
  });
});
