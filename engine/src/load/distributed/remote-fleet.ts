import { randomBytes, randomUUID } from 'node:crypto';
import { ScaleError } from '../../core/errors.js';
import type { FleetResult } from '../load-fleet.js';
import type { ResolvedLoadOptions } from '../load-options.js';
import type { RunnerResult } from '../load-runner.js';
import { decodeWindow, type WindowCounts } from '../recorder.js';
import type { CoordinatorMessage } from './protocol.js';
import type { WorkerHub } from './worker-hub.js';

/** Starts a run's load workers somewhere (local child processes, a cluster's Indexed Job). */
export interface WorkerLauncher {
  /** Where the workers run, for messages: `3 local processes`, `Job scale-load-1a2b3c4d in scale`. */
  readonly where: string;
  /** How long all workers may take to connect (a Job's pods must be scheduled and pull an image). */
  readonly connectTimeoutMs: number;
  /**
   * Starts `workers` workers that connect for run `run` with `token`; `fail` reports a worker
   * that cannot start (an exited process, a failed pod), so the run fails at once instead of
   * waiting out the connect timeout.
   */
  launch(o: { run: string; token: string; workers: number; fail: (message: string) => void }): Promise<void>;
  /** Ends everything it started; idempotent. */
  cleanup(): Promise<void>;
}

/** A worker that went away before it finished. */
export interface LostWorker {
  index: number;
  /** Ms from the load start when the coordinator saw it go. */
  atMs: number;
  /** Ms from the load start to the end of its last window: what it did after that was never measured. */
  reportedMs: number;
  /** Requests its windows accounted for (answered, failed or dropped) before it went. */
  reportedRequests: number;
  reason: string;
}

/** Ms between the plan and the shared load start: every worker gets its plan well before. */
const START_IN_MS = 500;

/**
 * A run's load over N worker processes: launches them, waits until every one has connected to
 * the hub, gives each its share with one shared start, merges their windows exactly as the
 * worker-thread fleet does (the caller's WindowJoiner), and ends when every worker has said
 * done or is lost. A lost worker is reported (`onLost`) and stops holding back the windows;
 * the run goes on without its share.
 */
export class RemoteFleet {
  private sends: Array<((m: CoordinatorMessage) => void) | undefined> = [];
  private stopRequested = false;
  /** Resolves when stop() is called (a stop before the workers connected ends the wait at once). */
  private stopped!: () => void;
  private readonly stopping = new Promise<'stopped'>((resolve) => (this.stopped = () => resolve('stopped')));
  private readonly lost: LostWorker[] = [];
  /** End of each worker's last window, ms from the load start, and the requests its windows accounted for. */
  private reported: number[] = [];
  private reportedRequests: number[] = [];

  constructor(
    private readonly options: ResolvedLoadOptions,
    private readonly workers: number,
    private readonly hub: WorkerHub,
    private readonly launcher: WorkerLauncher,
    private readonly onWindow: (worker: number, w: WindowCounts) => void,
    private readonly onFinished: (worker: number) => void,
    private readonly onLost: (l: LostWorker) => void,
  ) {}

  async run(): Promise<FleetResult & { lost: LostWorker[] }> {
    const n = this.workers;
    const run = randomUUID();
    const token = randomBytes(24).toString('hex');
    const results: Array<RunnerResult | undefined> = new Array(n).fill(undefined);
    const ended = new Array<boolean>(n).fill(false);
    let origin = 0;
    let allConnected!: () => void;
    const connected = new Promise<void>((r) => (allConnected = r));
    let allEnded!: () => void;
    const finished = new Promise<void>((r) => (allEnded = r));
    let count = 0;
    const end = (i: number) => {
      if (ended[i]) return;
      ended[i] = true;
      this.onFinished(i);
      if (ended.every(Boolean)) allEnded();
    };
    await this.hub.start();
    const close = this.hub.expect(run, token, n, {
      connected: (i, send) => {
        this.sends[i] = send;
        if (++count === n) allConnected();
      },
      message: (i, m) => {
        if (m.type === 'window') {
          const w = decodeWindow(m.window);
          this.reported[i] = w.elapsedMs;
          this.reportedRequests[i] = (this.reportedRequests[i] ?? 0) + w.requests + w.dropped;
          this.onWindow(i, w);
        }
        else if (m.type === 'done') {
          results[i] = m.result;
          end(i);
        } else if (m.type === 'failed') this.lose(i, origin, `worker ${i} failed: ${m.message}`, ended, end);
      },
      closed: (i, reason) => {
        if (!ended[i]) this.lose(i, origin, `worker ${i} ${origin ? 'was lost' : 'left before the start'}: ${reason}`, ended, end);
      },
    });
    let failed!: (e: Error) => void;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    failure.catch(() => undefined);
    try {
      await this.launcher.launch({ run, token, workers: n, fail: (message) => failed(new ScaleError('upstream_error', `a load worker could not start (${this.launcher.where}): ${message}`)) });
      let timer: NodeJS.Timeout | undefined;
      const first = await Promise.race([
        connected,
        this.stopping,
        failure,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new ScaleError('upstream_timeout', `only ${count} of ${n} load workers connected within ${this.launcher.connectTimeoutMs / 1000}s (${this.launcher.where})`)),
            this.launcher.connectTimeoutMs,
          );
        }),
      ]).finally(() => clearTimeout(timer));
      if (first === 'stopped') {
        // Stopped before the load began: nothing was sent.
        for (let i = 0; i < n; i++) end(i);
        return { startedAt: Date.now(), stoppedEarly: true, endedMs: 0, lost: [] };
      }
      origin = Date.now() + START_IN_MS;
      this.sends.forEach((send, worker) => send?.({ type: 'plan', options: this.options, worker, workers: n, startInMs: START_IN_MS }));
      if (this.stopRequested) this.stop();
      await finished;
      const done = results.filter((r): r is RunnerResult => r !== undefined);
      return {
        startedAt: origin,
        stoppedEarly: done.some((r) => r.stoppedEarly) || this.stopRequested,
        endedMs: Math.max(0, Date.now() - origin, ...done.map((r) => r.endedMs)),
        lost: [...this.lost],
      };
    } finally {
      close();
      await this.launcher.cleanup();
    }
  }

  /** Asks every worker to stop early (they drain and say done). */
  stop(): void {
    this.stopRequested = true;
    this.stopped();
    for (const send of this.sends) send?.({ type: 'stop' });
  }

  private lose(i: number, origin: number, reason: string, ended: boolean[], end: (i: number) => void): void {
    if (ended[i]) return;
    const l: LostWorker = { index: i, atMs: origin ? Math.max(0, Date.now() - origin) : 0, reportedMs: this.reported[i] ?? 0, reportedRequests: this.reportedRequests[i] ?? 0, reason };
    this.lost.push(l);
    this.onLost(l);
    end(i);
  }
}
