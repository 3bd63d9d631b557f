import { describe, expect, it, jest } from '@jest/globals';
import { utilisationBalance } from '../../src/analysis/balance.js';
import { runDeps } from '../../src/runs/default-deps.js';
import { TestRun } from '../../src/runs/test-run.js';
import type { RunTick } from '../../src/runs/run-events.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { AutoTuner } from '../../src/tuning/auto-tuner.js';
import type { TunerRunSource } from '../../src/tuning/tuner-options.js';
import { labOf } from '../../src/tuning/tunable-run.js';
import type { TuningDecision } from '../../src/tuning/tuning-decision.js';
import { recommendForSpec } from '../../src/tuning/tune-spec.js';

/**
 * Issue 4's acceptance items on the real lab (pod servers and proxy in worker threads, the real
 * load generator). Tolerances: the p99 cut and utilisation floor are the issue's own numbers,
 * measured on short live windows; nothing asserts absolute times.
 */
const slowPodSpec = () =>
  parseTestSpec({
    name: 'tune-slow-pod',
    seed: 5,
    // 10 ms vs 50 ms (as the foundation acceptance test): long enough that timer lateness
    // on a loaded machine does not blur the 5x. 30 users keep the pods busy, never saturated.
    target: { kind: 'lab', pods: 5, policy: 'round-robin', podBehaviour: [{ latency: 'exp:10ms' }, { pods: ['pod-3'], latency: 'exp:50ms' }] },
    load: { model: 'closed', users: 30, spawnRate: 100, duration: '40s' },
  });

/** A run source holding one run (the engine passes its RunManager). */
function sourceOf(run: TestRun): TunerRunSource {
  return { on: () => undefined, off: () => undefined, active: () => [run], get: (id) => (id === run.id ? run : undefined) };
}

function nextTicks(run: TestRun, n: number): Promise<RunTick[]> {
  const got: RunTick[] = [];
  return new Promise((resolve) => {
    const on = (t: RunTick) => {
      got.push(t);
      if (got.length >= n) {
        run.off('tick', on);
        resolve(got);
      }
    };
    run.on('tick', on);
  });
}

describe('acceptance: the auto-tuner on the embedded lab', () => {
  it('one pod 5x slower under round-robin: the closed loop applies a policy with p99 >= 30% lower and utilisation balance >= 0.95; disable restores round-robin', async () => {
    const run = new TestRun(slowPodSpec(), runDeps());
    const stored: Array<{ id: string; type: string; data: unknown }> = [];
    const changes: number[] = [];
    const tuner = new AutoTuner(
      { runs: sourceOf(run), runDeps: runDeps(), store: { appendEvent: (id, e) => stored.push({ id, type: e.type, data: e.data }) }, metrics: { tuningChanged: (n = 1) => void changes.push(n) } },
      { windows: 2, cooldownMs: 600_000, verifyMs: 2_500 },
    );
    const decided = new Promise<TuningDecision>((resolve) => tuner.once('decision', resolve));
    const ticks: RunTick[] = [];
    run.on('tick', (t) => ticks.push(t));
    await run.start();
    try {
      expect(run.status).toBe('running');
      const lab = labOf(run)!;
      const setPolicy = jest.spyOn(lab, 'setPolicy');
      tuner.enable({});
      const d = await decided;
      // round-robin windows on the test's own lab before the tuner's verification runs started
      // (it fits from three windows past the first second, so windows 2-4 are undisturbed)
      const before = ticks.filter((t) => t.elapsed > 1.05 && t.elapsed <= 4.2);
      const cur = d.current.measured!;
      const win = d.winner.measured!;
      process.stderr.write(`tuner: ${d.note}\n${d.rows.filter((r) => r.measured).map((r) => `  ${r.id}: predicted bal ${r.predicted.balance.toFixed(3)} p99 ${r.predicted.p99Ms}ms | measured bal ${r.measured!.balance.toFixed(3)} p99 ${r.measured!.p99Ms}ms`).join('\n')}\n`);
      expect(d.trigger).toBe('closed-loop');
      expect(d.current.id).toBe('l7 round-robin');
      expect(d.action).toBe('applied');
      expect(d.winner.setting.policy).not.toBe('round-robin');
      // the issue's numbers, measured live on fresh labs of the same spec
      expect(win.p99Ms).toBeLessThanOrEqual(0.7 * cur.p99Ms);
      expect(win.balanceKind).toBe('utilisation');
      // verification runs share the CPU with the running test, which blurs utilisation (proxy
      // time is not busy time): the >= 0.95 is checked on the running test's own windows below
      expect(win.balance).toBeGreaterThan(cur.balance);
      // applied to the running lab, counted and stored with the run
      expect(setPolicy).toHaveBeenLastCalledWith(d.winner.setting.policy, d.winner.setting.policyOptions);
      expect(changes).toEqual([1]);
      expect(stored.filter((s) => s.id === run.id && s.type === 'tuning')).toHaveLength(1);
      expect(tuner.state().applied).toEqual([{ testId: run.id, current: d.winner.setting, original: expect.objectContaining({ policy: 'round-robin' }) }]);

      // ... and on the running test itself: the windows after the change against those before it
      // (skip the window the switch fell in). Median window p99 at least 30% lower; utilisation
      // balance of each window >= 0.95 on average (single 1 s windows are noisy: stated tolerance
      // is on the mean of three); pod-3 below its fifth.
      await nextTicks(run, 1);
      const busyAt = () => lab.stats().map((p) => p.busyMs);
      const busy0 = busyAt();
      const after = await nextTicks(run, 3);
      const busy = busyAt().map((b, i) => b - busy0[i]);
      const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
      const p99Before = median(before.map((t) => t.window.latency.p99));
      const p99After = median(after.map((t) => t.window.latency.p99));
      // utilisation balance over the same three windows from the lab's busy counters (per-window
      // indices of 1 s are too noisy to average)
      const utilAfter = utilisationBalance(busy);
      process.stderr.write(`running test: p99 ${(p99Before * 1000).toFixed(1)} -> ${(p99After * 1000).toFixed(1)} ms, utilisation ${before.map((t) => t.window.utilisation?.toFixed(3)).join(',')} -> ${utilAfter.toFixed(3)} (busy ${busy.map((b) => b.toFixed(0)).join(',')})\n`);
      expect(before.length).toBeGreaterThanOrEqual(2);
      expect(p99After).toBeLessThanOrEqual(0.7 * p99Before);
      expect(utilAfter).toBeGreaterThanOrEqual(0.95);
      const share3 = (ts: RunTick[]) => ts.reduce((a, t) => a + (t.window.pods['pod-3'] ?? 0), 0) / ts.reduce((a, t) => a + t.window.requests, 0);
      expect(share3(after)).toBeLessThan(0.17);

      const reverted = await tuner.disable();
      expect(reverted).toEqual([{ testId: run.id, setting: expect.objectContaining({ policy: 'round-robin' }) }]);
      expect(setPolicy).toHaveBeenLastCalledWith('round-robin', {});
      expect(tuner.state()).toMatchObject({ enabled: false, applied: [] });
      expect(changes).toEqual([1, 1]);
      // ... and the lab behaves as round-robin again: pod-3 back to about a fifth (skip the window the switch fell in)
      const back = (await nextTicks(run, 3)).slice(1);
      expect(share3(back)).toBeGreaterThan(0.18);
    } finally {
      run.stop();
      await run.finished;
      await tuner.disable();
    }
  }, 180_000);

  it('L4 with keep-alive and 2 connections: recommends per-request (L7) balancing or connection recycling, applying nothing', async () => {
    const spec = parseTestSpec({
      name: 'tune-l4-keepalive',
      seed: 7,
      target: { kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l4', podBehaviour: [{ latency: 'exp:2ms' }] },
      load: { model: 'open', stages: [{ rate: 200, duration: '3s' }] },
      connections: { keepAlive: true, maxConnections: 2 },
    });
    const { decision: d, baseline } = await recommendForSpec(spec, runDeps(), { baselineMs: 2_500, verifyMs: 2_000 });
    process.stderr.write(`tuner (L4): ${d.note}\n${d.rows.filter((r) => r.measured).map((r) => `  ${r.id}: predicted bal ${r.predicted.balance.toFixed(3)} p99 ${r.predicted.p99Ms}ms | measured bal ${r.measured!.balance.toFixed(3)} p99 ${r.measured!.p99Ms}ms err ${r.measured!.errorRate}`).join('\n')}\n`);
    expect(baseline.pods.filter((p) => p.requests === 0).length).toBeGreaterThanOrEqual(2);
    expect(d.action).toBe('recommended');
    expect(d.winner.setting.mode === 'l7' || d.winner.setting.requestsPerConnection > 0).toBe(true);
    expect(d.winner.apply).toBe('recommend-only');
    expect(d.winner.reason).toMatch(/L7 mode|recycle/);
    expect(d.winner.measured!.balance).toBeGreaterThan(d.current.measured!.balance);
  }, 60_000);
});
