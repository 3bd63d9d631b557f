import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../core/clock.js';
import { lostLoad } from './distributed/lost-load.js';
import { RemoteFleet, type LostWorker, type WorkerLauncher } from './distributed/remote-fleet.js';
import type { WorkerHub } from './distributed/worker-hub.js';
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
  /** Distributed load: a worker process went away before it finished; the run goes on without its share. */
  'worker-lost': [lost: LostWorker];
}

/** Where a distributed load's worker processes run and how they reach this process. */
export interface RemoteWorkers {
  /** Worker processes (each runs one share of the load). */
  workers: number;
  hub: WorkerHub;
  launcher: WorkerLauncher;
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
  constructor(o: ResolvedLoadOptions, clock: Clock, remote?: RemoteWorkers) {
    super();
    const totals = new Totals();
    const runners = remote ? remote.workers : o.workers;
    const joiner = new WindowJoiner(runners, (w) => this.emit('tick', totals.add(w), windowLatency(w)));
    const report = (r: RunnerResult, startedAt: number): LoadReport =>
      totals.report({
        startedAt,
        endedAt: startedAt + r.endedMs,
        durationMs: r.endedMs,
        stoppedEarly: r.stoppedEarly,
        workers: o.workers,
      });
    if (remote) {
      const fleet = new RemoteFleet(o, remote.workers, remote.hub, remote.launcher, (i, w) => joiner.add(i, w), (i) => joiner.finish(i), (l) => this.emit('worker-lost', l));
      this.stopper = fleet;
      this.done = fleet.run().then((r) => {
        const rep = report(r, Math.round(r.startedAt));
        if (r.lost.length > 0) rep.lost = lostLoad(o.model, remote.workers, r.lost);
        return rep;
      });
    } else if (o.workers === 1) {
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
 * Starts an HTTP load against `options.url` and returns at once; with `remote`, on worker
 * processes (a distributed run) instead of this process's threads.
 * @throws ValidationError (synchronously) listing every invalid option.
 */
export function startLoad(options: LoadOptions, remote?: RemoteWorkers): LoadRun {
  return new LoadRun(resolveLoadOptions(options), options.clock ?? systemClock, remote);
}
