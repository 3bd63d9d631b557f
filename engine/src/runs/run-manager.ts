import { EventEmitter } from 'node:events';
import { ScaleError } from '../core/errors.js';
import type { TestSpec } from '../spec/test-spec.js';
import { limitIssues, type RunLimits } from '../spec/limits.js';
import { TestRun, type RunDeps } from './test-run.js';

export interface RunManagerOptions extends RunLimits {
  /** Tests running at once across all clients. */
  maxConcurrent: number;
  /** Finished runs kept in memory for status look-ups (older ones are read from the store). */
  keepFinished?: number;
}

export interface RunManagerEvents {
  /** A run was created; emitted before it starts, so subscribers see every event. */
  run: [run: TestRun];
}

/**
 * Owns the runs of one engine: enforces the caps, starts runs, finds and stops them.
 * The store, metrics and the WebSocket stream subscribe to `run` and then to the run itself.
 */
export class RunManager extends EventEmitter<RunManagerEvents> {
  private readonly runs = new Map<string, TestRun>();
  /** Starts admitted but not yet registered (their preflight is running). */
  private admitting = 0;

  constructor(
    private readonly deps: RunDeps,
    private readonly options: RunManagerOptions,
  ) {
    super();
  }

  /** Validates the caps, then starts the run; resolves once it is running (or has failed). */
  async start(spec: TestSpec): Promise<TestRun> {
    const issues = limitIssues(spec, this.options);
    if (issues.length > 0) throw new ScaleError('limit_exceeded', `the test exceeds this engine's limits`, issues);
    // Starts still in their preflight count too: several starts arriving at once cannot all pass.
    const active = this.active().length + this.admitting;
    if (active >= this.options.maxConcurrent)
      throw new ScaleError('too_many_tests', `${active} tests are running; this engine allows ${this.options.maxConcurrent} at once`, [
        { path: '', message: 'wait for a test to finish or stop one (POST /api/load-test/stop/{id})' },
      ]);
    this.admitting++;
    let run: TestRun;
    try {
      await this.deps.preflight?.(spec);
      run = new TestRun(spec, this.deps);
      this.runs.set(run.id, run);
    } finally {
      this.admitting--;
    }
    this.prune();
    this.emit('run', run);
    await run.start();
    return run;
  }

  get(id: string): TestRun | undefined {
    return this.runs.get(id);
  }

  /** Runs not yet done. */
  active(): TestRun[] {
    return [...this.runs.values()].filter((r) => r.status === 'starting' || r.status === 'running');
  }

  /** Asks a run to stop; false when it is unknown or already done. */
  stop(id: string): boolean {
    const run = this.runs.get(id);
    if (!run || (run.status !== 'running' && run.status !== 'starting')) return false;
    run.stop();
    return true;
  }

  /** Stops every run and waits (at most `timeoutMs`) for their final results. */
  async stopAll(timeoutMs: number): Promise<void> {
    const active = this.active();
    for (const r of active) r.stop();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(active.map((r) => r.finished)),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  private prune(): void {
    const keep = this.options.keepFinished ?? 100;
    const done = [...this.runs.values()].filter((r) => r.status !== 'starting' && r.status !== 'running');
    for (const r of done.slice(0, Math.max(0, done.length - keep))) this.runs.delete(r.id);
  }
}
