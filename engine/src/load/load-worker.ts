/**
 * Worker-thread entry of one load runner (started by load-fleet.ts through startWorker). The
 * worker runs the same LoadRunner as the calling thread would, on its share of the schedule,
 * and posts each window with its histograms encoded; the controller merges them exactly.
 */
import { workerData } from 'node:worker_threads';
import { systemClock } from '../core/clock.js';
import { postEvent, serveWorker } from '../lab/worker-rpc.js';
import type { ResolvedLoadOptions } from './load-options.js';
import { LoadRunner, type RunnerResult } from './load-runner.js';
import { encodeWindow } from './recorder.js';

/** What the controller passes to a load worker. */
export interface LoadWorkerData {
  options: ResolvedLoadOptions;
  worker: number;
  workers: number;
}

const data = workerData as LoadWorkerData;
let runner: LoadRunner | undefined;
let stopRequested = false;

serveWorker(async () => ({
  ready: true,
  handlers: {
    /** Runs the share; `originEpochMs` (performance.timeOrigin-based) is the shared load start. */
    run: (originEpochMs: number): Promise<RunnerResult> => {
      runner = new LoadRunner({
        ...data,
        clock: systemClock,
        // Each thread's performance.now() has its own origin: convert through the epoch.
        originMs: originEpochMs - performance.timeOrigin,
        onWindow: (w) => postEvent(encodeWindow(w)),
      });
      if (stopRequested) runner.stop();
      return runner.done;
    },
    stop: (): void => {
      stopRequested = true;
      runner?.stop();
    },
  },
}));
