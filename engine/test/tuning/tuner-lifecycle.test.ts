import { describe, expect, it } from '@jest/globals';
import type { PolicyName } from '../../src/policies/policy.js';
import type { RunDeps } from '../../src/runs/test-run.js';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import type { Target } from '../../src/targets/target.js';
import { AutoTuner } from '../../src/tuning/auto-tuner.js';
import type { TunerRunSource } from '../../src/tuning/tuner-options.js';
import type { TunableLab } from '../../src/tuning/tunable-run.js';
import { ScriptedLoad, scriptedReport, scriptedTick } from '../helpers/scripted-load.js';

/**
 * The tuner's lifecycle with hand-driven runs (no sockets): it never hangs on a run that ends,
 * forgets finished runs, and a disable during a tuning leaves nothing applied afterwards.
 */

/** A lab the tuner can change, recording every change. */
class FakeLab implements TunableLab {
  policy: PolicyName = 'round-robin';
  readonly changes: string[] = [];
  readonly served = new Map<string, number>();
  readonly busy = new Map<string, number>();
  constructor(readonly names: string[]) {}
  async setPolicy(name: PolicyName): Promise<void> {
    this.policy = name;
    this.changes.push(`policy ${name}`);
  }
  async setWeights(): Promise<void> {
    this.changes.push('weights');
  }
  pods() {
    return this.names.map((name) => ({ name, weight: 1 }));
  }
  stats() {
    return this.names.map((name) => ({ name, served: this.served.get(name) ?? 0, busyMs: this.busy.get(name) ?? 0, concurrency: 4 }));
  }
  /** Pod `name` served `n` requests of `ms` each. */
  serve(name: string, n: number, ms: number): void {
    this.served.set(name, (this.served.get(name) ?? 0) + n);
    this.busy.set(name, (this.busy.get(name) ?? 0) + n * ms);
  }
}

const PODS = ['pod-1', 'pod-2', 'pod-3'];
const spec = (duration: string) =>
  parseTestSpec({ name: 'tuned', seed: 2, target: { kind: 'lab', pods: 3, policy: 'round-robin' }, load: { model: 'closed', users: 30, spawnRate: 100, duration } });

function labTarget(lab: FakeLab): Target & { lab: FakeLab } {
  return { kind: 'lab', url: 'http://127.0.0.1:1/', podHeader: 'x-scale-pod', lab, pods: async () => PODS.map((name) => ({ name, eligible: true })), close: async () => undefined };
}

function sourceOf(run: TestRun): TunerRunSource {
  return { on: () => undefined, off: () => undefined, active: () => (run.status === 'running' ? [run] : []), get: (id) => (id === run.id ? run : undefined) };
}

/** Settles within `ms`, or says it did not: a hang fails the test instead of timing it out. */
function within<T>(p: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown; hung?: true }> {
  let timer: NodeJS.Timeout | undefined;
  // The guard is cleared once the promise settles: left armed, it kept jest alive for up to 20 s
  // after the run ("Jest did not exit one second after the test run has completed").
  return Promise.race([
    p.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<{ hung: true }>((r) => (timer = setTimeout(() => r({ hung: true }), ms))),
  ]).finally(() => clearTimeout(timer));
}

const tick = () => new Promise((r) => setImmediate(r));

describe('the tuner never hangs, races or forgets', () => {
  function mainRun(duration: string) {
    const lab = new FakeLab(PODS);
    const load = new ScriptedLoad();
    const deps: RunDeps = { openTarget: async () => labTarget(lab), startLoad: () => load };
    return { run: new TestRun(spec(duration), deps), lab, load };
  }

  it('a test too short for the fit windows is refused at once; one that ends early fails the wait as it ends', async () => {
    const short = mainRun('2s');
    const tuner = new AutoTuner({ runDeps: { openTarget: async () => labTarget(new FakeLab(PODS)), startLoad: () => new ScriptedLoad() } });
    await short.run.start();
    const refused = await within(tuner.tuneRun(short.run, { dryRun: true }), 1000);
    expect(refused.hung).toBeUndefined();
    expect(String(refused.error)).toMatch(/ends before the tuner has the 3 one-second windows/);

    const long = mainRun('60s');
    const tuner2 = new AutoTuner({ runDeps: { openTarget: async () => labTarget(new FakeLab(PODS)), startLoad: () => new ScriptedLoad() } });
    await long.run.start();
    const pending = within(tuner2.tuneRun(long.run, { dryRun: true }), 3000);
    long.load.emit('tick', scriptedTick(1, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 }));
    await tick();
    // the test is stopped after 1 s: the tuning must answer now, not wait for windows that never come
    long.run.stop();
    long.load.finish(scriptedReport(1, { 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 }));
    const ended = await pending;
    expect(ended.hung).toBeUndefined();
    expect(String(ended.error)).toMatch(/ended before the tuner had the 3 windows/);
    // and the finished runs are dropped from the tuner's memory
    expect(tuner.inMemory()).toEqual([]);
    expect(tuner2.inMemory()).toEqual([]);
  });

  it('disable during a tuning: it cancels the tuning (stopping its live verification), and nothing is applied afterwards', async () => {
    const main = mainRun('60s');
    const verifyLab = new FakeLab(PODS);
    const verifications: ScriptedLoad[] = [];
    // A verification run measures the policy its lab was switched to: round-robin (the current
    // setting) puts most requests on one pod, every other policy spreads them evenly.
    const counts = () => (verifyLab.policy === 'round-robin' ? { 'pod-1': 400, 'pod-2': 50, 'pod-3': 50 } : { 'pod-1': 170, 'pod-2': 165, 'pod-3': 165 });
    let autoFinish = false;
    const startVerification = (): ScriptedLoad => {
      const c = counts();
      // Stopped or run out, a verification reports what it measured in its two windows.
      const load: ScriptedLoad = new ScriptedLoad(() => {
        load.emit('tick', scriptedTick(1, c));
        load.emit('tick', scriptedTick(2, c));
        return scriptedReport(2, c);
      });
      verifications.push(load);
      if (autoFinish) setImmediate(() => load.stop());
      return load;
    };
    const runDeps: RunDeps = { openTarget: async () => labTarget(verifyLab), startLoad: startVerification };
    const tuner = new AutoTuner({ runs: sourceOf(main.run), runDeps }, { verifyMs: 1000, recommend: { maxRequests: 3000, minSimMs: 2000, maxSimMs: 2000 } });
    await main.run.start();
    const tuning = within(tuner.tuneRun(main.run), 20_000);
    // four windows of the running test, pod-3 five times slower
    for (let s = 1; s <= 5; s++) {
      main.lab.serve('pod-1', 100, 10);
      main.lab.serve('pod-2', 100, 10);
      main.lab.serve('pod-3', 100, 50);
      main.load.emit('tick', scriptedTick(s, { 'pod-1': 100, 'pod-2': 100, 'pod-3': 100 }));
      await tick();
    }
    // wait until the tuner verifies on its fresh lab (simulation done, first live check running)
    for (let i = 0; i < 400 && verifications.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(verifications.length).toBe(1);
    const reverted = await within(tuner.disable(), 5000);
    expect(reverted.hung).toBeUndefined();
    expect(reverted.value).toEqual([]);
    const stoppedByDisable = verifications[0].stopped;
    // whatever is left of the tuning runs to its end: nothing may reach the running test's lab
    autoFinish = true;
    for (const v of verifications) if (!v.stopped) v.stop();
    const outcome = await tuning;
    expect(outcome.hung).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    expect(main.lab.changes).toEqual([]);
    expect(String(outcome.error)).toMatch(/tuning cancelled: the tuner was disabled/);
    expect(tuner.state().applied).toEqual([]);
    // the verification in progress was stopped by disable, not left to run out
    expect(stoppedByDisable).toBe(true);
    main.run.stop();
    main.load.finish(scriptedReport(5, { 'pod-1': 500, 'pod-2': 500, 'pod-3': 500 }));
    await main.run.finished;
    expect(tuner.inMemory()).toEqual([]);
  }, 30_000);
});
