import { WorkerChannel } from '../lab/worker-rpc.js';
import type { ResolvedLoadOptions } from './load-options.js';
import type { RunnerResult } from './load-runner.js';
import type { LoadWorkerData } from './load-worker.js';
import { decodeWindow, type EncodedWindow, type WindowCounts } from './recorder.js';

/** Time given to the workers between the start message and the shared load start. */
const START_MARGIN_MS = 25;

/** How a fleet run ended, plus the shared start time. */
export interface FleetResult extends RunnerResult {
  /** Load start, epoch ms. */
  startedAt: number;
}

/**
 * Runs the load on N worker threads, each on an interleaved share of the schedule. Workers start
 * first (a TypeScript entry takes a few hundred ms to load); then all get the same load start,
 * a little in the future, so their windows line up to the millisecond.
 */
export class LoadFleet {
  private channels: WorkerChannel[] = [];
  private stopRequested = false;

  constructor(
    private readonly options: ResolvedLoadOptions,
    private readonly onWindow: (worker: number, w: WindowCounts) => void,
    private readonly onFinished: (worker: number) => void,
  ) {}

  async run(): Promise<FleetResult> {
    const n = this.options.workers;
    const entry = new URL('./load-worker.js', import.meta.url);
    try {
      const opened = await Promise.allSettled(
        Array.from({ length: n }, (_, worker) =>
          WorkerChannel.open(entry, { options: this.options, worker, workers: n } satisfies LoadWorkerData, (e) =>
            this.onWindow(worker, decodeWindow(e as EncodedWindow)),
          ),
        ),
      );
      // Keep every worker that did start, so that `finally` ends it even when another failed.
      this.channels = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value.channel] : []));
      const failed = opened.find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
      if (this.stopRequested) this.stop();
      const originEpochMs = performance.timeOrigin + performance.now() + START_MARGIN_MS;
      const results = await Promise.all(
        this.channels.map((c, worker) =>
          c.call<RunnerResult>('run', originEpochMs).then((r) => {
            this.onFinished(worker);
            return r;
          }),
        ),
      );
      return {
        startedAt: originEpochMs,
        stoppedEarly: results.some((r) => r.stoppedEarly),
        endedMs: Math.max(...results.map((r) => r.endedMs)),
      };
    } finally {
      await Promise.all(this.channels.map((c) => c.terminate()));
    }
  }

  /** Asks every worker to stop early. */
  stop(): void {
    this.stopRequested = true;
    for (const c of this.channels) c.call('stop').catch(() => undefined);
  }
}
