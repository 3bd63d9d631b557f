import type { Executor } from './executor.js';
import type { HttpSender } from './http-sender.js';
import type { Recorder } from './recorder.js';
import type { Schedule } from './schedule.js';

/**
 * Open model (k6 constant-/ramping-arrival-rate): sends request i at its scheduled offset
 * whatever happened to earlier ones, and measures its latency from that scheduled time, so a
 * saturated target or pool shows up as growing latency instead of a quietly lower rate
 * (coordinated omission; Gil Tene, "How NOT to measure latency"). Past maxInflight outstanding
 * requests a due request is dropped and counted, which bounds memory when the target stalls.
 */
export class OpenExecutor implements Executor {
  readonly users = 0;
  private next = 0;
  private end: number;

  constructor(
    private readonly schedule: Schedule,
    /** Clock time of the load start. */
    private readonly originMs: number,
    private readonly sender: HttpSender,
    private readonly recorder: Recorder,
    private readonly maxInflight: number,
  ) {
    this.end = schedule.count;
  }

  wake(untilMs: number, nowMs: number, budget: number): number {
    const { schedule, sender } = this;
    let i = this.next;
    let left = budget;
    while (i < this.end && left > 0) {
      const offset = schedule.offsetOf(i);
      if (offset >= untilMs) break;
      if (sender.inflight >= this.maxInflight) this.recorder.drop();
      else sender.send(this.originMs + offset, nowMs, -1);
      i++;
      left--;
    }
    this.next = i;
    return i < this.end ? schedule.offsetOf(i) : Infinity;
  }

  settled(): void {}

  /** The open model always runs to the schedule's end, even after its last request. */
  exhausted(): boolean {
    return false;
  }

  scheduledIn(fromMs: number, toMs: number): number {
    return toMs > fromMs ? this.schedule.countBefore(toMs) - this.schedule.countBefore(fromMs) : 0;
  }

  halt(): void {
    this.end = this.next;
  }
}
