import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../core/clock.js';
import { LoadFleet } from './load-fleet.js';
import { resolveLoadOptions, type LoadOptions, type ResolvedLoadOptions } from './load-options.js';
import type { LoadReport, LoadTick, WindowLatency } from './load-report.js';
import { LoadRunner, type RunnerResult } from './load-runner.js';
import { Totals, windowLatency } from './recorder.js';
import { WindowJoiner } from './window-joiner.js';

/** Events of a running load. */
export interface LoadRunEvents {
  /**
   * One per 1 s window aligned to the load start, in order; the last one may be partial.
   * `latency` gives the window's latency values per pod (exact, for Prometheus histograms).
   */
  tick: [tick: LoadTick, latency: WindowLatency];
}

/**
 * A running load. Subscribe to `tick`; await `done` for the LoadReport (it rejects only on an
 * engine failure such as a worker that cannot start; target errors are counted, not thrown).
 */
export class LoadRun extends EventEmitter<LoadRunEvents> {
  /** The final report, after the schedule ended (or stop()) and in-flight requests drained. */
  readonly done: Promise<LoadReport>;
  private readonly stopper: { stop(): void };

  /** @internal use startLoad() */
  constructor(o: ResolvedLoadOptions, clock: Clock) {
    super();
    const totals = new Totals();
    const joiner = new WindowJoiner(o.workers, (w) => this.emit('tick', totals.add(w), windowLatency(w)));
    const report = (r: RunnerResult, startedAt: number): LoadReport =>
      totals.report({
        startedAt,
        endedAt: startedAt + r.endedMs,
        durationMs: r.endedMs,
        stoppedEarly: r.stoppedEarly,
        workers: o.workers,
      });
    if (o.workers === 1) {
      const startedAt = Date.now();
      const runner = new LoadRunner({
        options: o,
        worker: 0,
        workers: 1,
        clock,
        originMs: clock.now(),
        onWindow: (w) => joiner.add(0, w),
      });
      this.stopper = runner;
      this.done = runner.done.then((r) => report(r, startedAt));
    } else {
      const fleet = new LoadFleet(o, (i, w) => joiner.add(i, w), (i) => joiner.finish(i));
      this.stopper = fleet;
      this.done = fleet.run().then((r) => report(r, Math.round(r.startedAt)));
    }
  }

  /** Ends early: sends nothing more, waits up to timeoutMs for in-flight requests, then reports with stoppedEarly = true. */
  stop(): void {
    this.stopper.stop();
  }
}

/**
 * Starts an HTTP load against `options.url` and returns at once.
 * @throws ValidationError (synchronously) listing every invalid option.
 */
export function startLoad(options: LoadOptions): LoadRun {
  return new LoadRun(resolveLoadOptions(options), options.clock ?? systemClock);
}
