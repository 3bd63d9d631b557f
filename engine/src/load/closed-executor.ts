import type { Clock } from '../core/clock.js';
import { sample, type Distribution } from '../core/distribution.js';
import type { Random } from '../core/random.js';
import type { Executor } from './executor.js';
import type { HttpSender } from './http-sender.js';
import type { ClosedModel, Schedule } from './schedule.js';

/**
 * Closed model (Locust): users start on the spawn schedule; each sends a request, waits for it
 * to settle, thinks (optionally), and sends the next, until the run's duration is over or its
 * iteration cap is reached. Latency is measured from the actual send: a closed user cannot send
 * early, so there is no schedule to fall behind. Without think time the next request is sent
 * straight from the previous one's completion, which is how the model runs flat out.
 */
export class ClosedExecutor implements Executor {
  users = 0;
  private nextUser = 0;
  private end: number;
  private sent = 0;
  private halted = false;
  private sending = false;
  private readonly iterations: Uint32Array;
  private readonly timers: Array<ReturnType<typeof setTimeout> | undefined>;
  private readonly think: Distribution | undefined;
  private readonly maxIterations: number;

  constructor(
    /** This worker's share of the user starts. */
    private readonly schedule: Schedule,
    model: ClosedModel,
    private readonly originMs: number,
    private readonly sender: HttpSender,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    this.end = schedule.count;
    this.iterations = new Uint32Array(schedule.count);
    this.timers = new Array(schedule.count);
    this.think = model.thinkTime;
    this.maxIterations = model.iterations ?? Infinity;
  }

  wake(untilMs: number, nowMs: number, budget: number): number {
    let j = this.nextUser;
    let left = budget;
    while (j < this.end && left > 0 && this.schedule.offsetOf(j) < untilMs) {
      this.users++;
      this.fire(j, nowMs);
      j++;
      left--;
    }
    this.nextUser = j;
    return j < this.end ? this.schedule.offsetOf(j) : Infinity;
  }

  settled(user: number, nowMs: number): void {
    if (this.halted || this.iterations[user] >= this.maxIterations || nowMs - this.originMs >= this.schedule.durationMs) {
      this.users--;
      return;
    }
    // A request that fails synchronously inside send() would otherwise recurse without bound.
    if (this.sending) setImmediate(this.afterThink, user);
    else if (this.think === undefined) this.fire(user, nowMs);
    else this.timers[user] = setTimeout(this.afterThink, sample(this.think, this.random), user);
  }

  /** Every user has started and finished (iteration caps): the run can end before its duration. */
  exhausted(): boolean {
    return this.nextUser === this.end && this.users === 0;
  }

  scheduledIn(): number {
    const n = this.sent;
    this.sent = 0;
    return n;
  }

  halt(): void {
    this.halted = true;
    this.end = this.nextUser;
    // Users asleep in think time have nothing in flight: they end now.
    for (let j = 0; j < this.timers.length; j++) {
      const t = this.timers[j];
      if (t !== undefined) {
        clearTimeout(t);
        this.timers[j] = undefined;
        this.users--;
      }
    }
  }

  private readonly afterThink = (user: number): void => {
    this.timers[user] = undefined;
    const now = this.clock.now();
    if (this.halted || now - this.originMs >= this.schedule.durationMs) this.users--;
    else this.fire(user, now);
  };

  private fire(user: number, nowMs: number): void {
    this.iterations[user]++;
    this.sent++;
    this.sending = true;
    this.sender.send(nowMs, nowMs, user);
    this.sending = false;
  }
}
