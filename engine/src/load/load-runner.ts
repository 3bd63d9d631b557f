import type { Clock } from '../core/clock.js';
import { seededRandom } from '../core/random.js';
import { ClosedExecutor } from './closed-executor.js';
import type { Executor } from './executor.js';
import { clientAddress, takesClientAddresses } from '../core/client-address.js';
import { HttpSender, type ClientPlan, type SettleListener } from './http-sender.js';
import type { ResolvedLoadOptions } from './load-options.js';
import { OpenExecutor } from './open-executor.js';
import { appendWindow, Recorder, type WindowCounts } from './recorder.js';
import { scheduleOf, shareOf } from './schedule.js';

/** What one runner (the calling thread, or one worker) needs. */
export interface RunnerInit {
  options: ResolvedLoadOptions;
  /** This runner's index and the number of runners: it takes every workers-th event. */
  worker: number;
  workers: number;
  clock: Clock;
  /** Clock time of the load start; may be in the future (workers start together). */
  originMs: number;
  /**
   * Receives each closed window, in order. A tail shorter than a second after the schedule ended
   * (the drain) is merged into the window before it; only a run stopped early can end with a
   * partial window (its `elapsedMs` is below `second` × 1000).
   */
  onWindow(w: WindowCounts): void;
}

/** How a runner ended. */
export interface RunnerResult {
  stoppedEarly: boolean;
  /** Elapsed ms since the load start when the runner finished. */
  endedMs: number;
}

const WINDOW_MS = 1000;
/** How often outstanding requests are checked against timeoutMs. */
const SWEEP_MS = 50;
/** Events due this close to now are started now rather than at a wake-up of their own. */
const DUE_EPSILON_MS = 1e-3;
/** Most events started per wake-up; the rest are caught up after I/O had its turn. */
const BATCH = 2000;

/**
 * One thread's load: a single timer loop that, at each wake-up, starts everything that has come
 * due (catching up if the event loop was late, never one timer per request), closes 1 s windows
 * aligned to the load start, and sweeps timeouts. After the schedule ends (or stop()) it drains:
 * waits for outstanding requests up to timeoutMs, then destroys the connections, so a run always ends.
 */
export class LoadRunner implements SettleListener {
  private readonly recorder = new Recorder();
  private readonly sender: HttpSender;
  private readonly executor: Executor;
  private readonly durationMs: number;
  private readonly clock: Clock;
  private readonly originMs: number;
  private phase: 'waiting' | 'sending' | 'draining' | 'done' = 'waiting';
  private stopRequested = false;
  private stoppedEarly = false;
  private sendEndMs = Infinity;
  private drainDeadline = Infinity;
  private nextDue = 0;
  private nextSweep = 0;
  private second = 1;
  /** The last full window once the schedule has ended, held until the drain says whether a tail joins it. */
  private held: WindowCounts | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private resolve!: (r: RunnerResult) => void;
  /** Settles when the runner has finished and its connections are closed. */
  readonly done: Promise<RunnerResult>;

  constructor(private readonly init: RunnerInit) {
    const { options: o, worker, workers, clock, originMs } = init;
    this.clock = clock;
    this.originMs = originMs;
    // maxConnections and maxInflight are totals for the run: each worker takes its part.
    const mine: ResolvedLoadOptions = {
      ...o,
      maxConnections: partOf(o.maxConnections, worker, workers),
      maxInflight: partOf(o.maxInflight, worker, workers),
    };
    const share = shareOf(scheduleOf(o.model), worker, workers);
    this.sender = new HttpSender(mine, this.recorder, clock, this, clientPlan(o, share.count, worker, workers));
    this.durationMs = share.durationMs;
    this.executor =
      o.model.model === 'open'
        ? new OpenExecutor(share, originMs, this.sender, this.recorder, mine.maxInflight)
        : new ClosedExecutor(share, o.model, originMs, this.sender, clock, seededRandom((o.seed + Math.imul(worker, 0x9e3779b9)) >>> 0));
    this.done = new Promise((resolve) => (this.resolve = resolve));
    this.schedule(Math.max(0, originMs - clock.now()));
  }

  /** Ends early: sends nothing more, drains, reports with stoppedEarly. Idempotent. */
  stop(): void {
    if (this.phase === 'done' || this.stopRequested) return;
    this.stopRequested = true;
    this.wakeSoon();
  }

  /** @internal from the sender: a request settled. */
  settled(user: number, nowMs: number): void {
    this.executor.settled(user, nowMs);
    if (this.phase === 'draining' ? this.idle() : this.executor.exhausted()) this.wakeSoon();
  }

  private readonly wake = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.phase === 'done') return;
    const now = this.clock.now();
    const elapsed = now - this.originMs;
    if (this.phase === 'waiting' && (elapsed >= 0 || this.stopRequested)) this.phase = 'sending';
    // Start what is due window by window, so that events due before a window's end (even if
    // started late) belong to it, and a window closes only when nothing due in it is left.
    for (;;) {
      const windowEnd = this.second * WINDOW_MS;
      const until = Math.min(elapsed + DUE_EPSILON_MS, windowEnd);
      if (this.phase === 'sending' && !this.stopRequested) {
        this.nextDue = this.executor.wake(until, now, BATCH);
        if (this.nextDue < until) break; // batch used up: continue after I/O
      }
      if (elapsed < windowEnd) break;
      this.closeWindow(windowEnd);
    }
    const due = elapsed >= this.durationMs && this.nextDue > elapsed;
    if (this.phase === 'sending' && (this.stopRequested || due || this.executor.exhausted())) {
      this.endSending(now, elapsed);
    }
    if (now >= this.nextSweep) {
      this.sender.sweep(now);
      this.nextSweep = now + SWEEP_MS;
    }
    if (this.phase === 'draining' && (this.idle() || now >= this.drainDeadline)) {
      void this.finish(elapsed, now >= this.drainDeadline && !this.idle());
      return;
    }
    let nextAt = Math.min(this.second * WINDOW_MS, this.nextSweep - this.originMs);
    if (this.phase === 'sending') nextAt = Math.min(nextAt, this.nextDue, this.durationMs);
    else if (this.phase === 'draining') nextAt = Math.min(nextAt, this.drainDeadline - this.originMs);
    else nextAt = Math.min(nextAt, 0);
    this.schedule(nextAt - elapsed);
  };

  private endSending(now: number, elapsed: number): void {
    this.stoppedEarly = this.stopRequested && elapsed < this.durationMs;
    this.executor.halt();
    this.phase = 'draining';
    this.sendEndMs = Math.max(0, elapsed);
    // The sweep aborts anything older than timeoutMs; the extra sweeps are its margin.
    this.drainDeadline = now + this.init.options.timeoutMs + 2 * SWEEP_MS;
  }

  private idle(): boolean {
    return this.sender.inflight === 0 && this.executor.users === 0;
  }

  private closeWindow(endMs: number): void {
    const startMs = (this.second - 1) * WINDOW_MS;
    const w = this.recorder.takeWindow({
      second: this.second,
      elapsedMs: endMs,
      scheduled: this.executor.scheduledIn(startMs, Math.min(endMs, this.sendEndMs, this.durationMs)),
      inflight: this.sender.inflight,
      users: this.executor.users,
    });
    this.second++;
    const partial = endMs < (this.second - 1) * WINDOW_MS;
    if (partial && this.held) {
      // The drain's last few ms: alone they would be a "second" of a handful of requests (an
      // insufficient-data or imbalanced verdict that says nothing); with the window before, they count.
      appendWindow(this.held, w);
      return this.release();
    }
    this.release();
    // A full window after which less than a second of schedule is left may be followed by a
    // partial one (the schedule's last fraction of a second, then the drain): hold it.
    if (!partial && this.phase !== 'done' && endMs + WINDOW_MS > Math.min(this.durationMs, this.sendEndMs)) this.held = w;
    else this.init.onWindow(w);
  }

  /** Hands the held window on, if any. */
  private release(): void {
    const w = this.held;
    this.held = undefined;
    if (w) this.init.onWindow(w);
  }

  private async finish(elapsed: number, force: boolean): Promise<void> {
    this.phase = 'done';
    this.cancelWake();
    // Forced: outstanding requests are counted as timeouts before the last window closes.
    // Connection teardown failures cannot change the counts any more: never let them hold up `done`.
    if (force) await this.sender.destroy().catch(() => undefined);
    const endedMs = Math.max(0, elapsed, this.clock.now() - this.originMs);
    if (endedMs > (this.second - 1) * WINDOW_MS) this.closeWindow(endedMs);
    this.release();
    if (!force) await this.sender.close().catch(() => undefined);
    this.resolve({ stoppedEarly: this.stoppedEarly, endedMs });
  }

  private wakeSoon(): void {
    if (this.immediate === undefined && this.phase !== 'done') {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = setImmediate(this.wake);
    }
  }

  private schedule(delayMs: number): void {
    this.cancelWake();
    if (delayMs <= 0) this.immediate = setImmediate(this.wake);
    else this.timer = setTimeout(this.wake, delayMs);
  }

  private cancelWake(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }
}

/** Worker `worker`'s part of a total split as evenly as whole numbers allow (at least 1). */
/**
 * This runner's virtual clients (core/client-address.ts). Closed model with no more users than
 * connections: each user keeps a connection of its own (user j of this worker is user
 * worker + j * workers of the run). Else the pool's connections are the clients, numbered across
 * the workers. Addresses only towards an IPv4 loopback target, and when distinctClients is on.
 */
export function clientPlan(o: ResolvedLoadOptions, users: number, worker: number, workers: number): ClientPlan {
  const maxConnections = partOf(o.maxConnections, worker, workers);
  const pinned = o.model.model === 'closed' && users <= maxConnections;
  if (!o.distinctClients || !takesClientAddresses(o.origin)) return { pinned };
  if (pinned) return { pinned, addressOf: (j) => clientAddress(worker + j * workers) };
  let base = 0;
  for (let w = 0; w < worker; w++) base += partOf(o.maxConnections, w, workers);
  return { pinned, addressOf: (c) => clientAddress(base + c) };
}

export function partOf(total: number, worker: number, workers: number): number {
  return Math.max(1, Math.floor(total / workers) + (worker < total % workers ? 1 : 0));
}
