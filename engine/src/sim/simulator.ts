import type { Random } from '../core/random.js';
import { seededRandom } from '../core/random.js';
import { userSchedule, userStartOffset } from '../load/user-schedule.js';
import { arrivalProcess, type ArrivalProcess } from './arrivals.js';
import { RequestPath } from './request-path.js';
import { streamSeed } from './sim-balancer.js';
import { SimControl } from './sim-control.js';
import type { SimPlan } from './sim-plan.js';

// Globals read once: inside a vm context (jest) every global lookup on a hot path is slow.
const INFINITY = Number.POSITIVE_INFINITY;

/**
 * The discrete-event loop. Four sources of events, merged by time: the event queue (request
 * departures and users waking from think time), the next open-model arrival or closed-model
 * user start (one variable, not queued: half the events never touch the heap), the next
 * timeline window end, and the next plan event (failure, recovery, scaling). What happens to a
 * request is RequestPath's.
 */
export class Simulator extends RequestPath {
  /** Loop iterations (events handled), for the events/s figure. */
  events = 0;
  // Fields set in the constructor are `declare`d: see RequestPath.
  declare private readonly control: SimControl;
  private readonly arrivals?: ArrivalProcess;
  private nextArrival = Infinity;
  declare private nextWindow: number;
  private windowStart = 0;
  /** Length of the timeline's windows (virtual ms); doubles when a long run merges them. */
  declare windowMs: number;
  declare private nextControl: number;
  private spawned = 0;
  declare private readonly spawnCount: number;

  constructor(plan: SimPlan) {
    super(plan);
    this.windowMs = plan.windowMs;
    this.nextWindow = plan.windowMs;
    this.control = new SimControl(this);
    this.nextControl = Math.min(this.nextWindow, this.control.nextAt);
    if (plan.load.model === 'open') {
      const random: Random = seededRandom(streamSeed(plan.seed, 0));
      this.arrivals = arrivalProcess(plan.load.arrivals, random);
      this.spawnCount = 0;
      this.nextArrival = this.arrivals.next();
    } else {
      this.spawnCount = userSchedule({ users: plan.load.users, spawnRate: plan.load.spawnRate, durationMs: plan.durationMs }).count;
      this.nextArrival = this.spawnCount > 0 ? 0 : Infinity;
    }
    if (this.nextArrival >= plan.durationMs) this.nextArrival = Infinity;
  }

  /** Runs to the end: every request started has been answered or failed. Returns the end time (ms). */
  run(): number {
    while (!this.step(Infinity));
    return this.end();
  }

  /**
   * Handles up to `budget` events; true once nothing is left to do (then call {@link end}).
   * Lets a host run a long simulation in slices (the API yields to its event loop between them).
   */
  step(budget: number): boolean {
    const q = this.queue;
    // Counting up keeps the counter a small integer: counting `budget` (Infinity) down would box
    // a new double on every event.
    for (let handled = 0; handled < budget; handled++) {
      const ta = this.nextArrival;
      // Departures first on a tie. Written so that every time here is an unboxed double (no
      // Infinity constant in a branch), and the end (t = Infinity) is tested only on the rare
      // path: the next window end is always finite.
      const departs = q.size > 0 && q.headTime <= ta;
      const t = departs ? q.headTime : ta;
      if (this.nextControl <= t) {
        if (t === INFINITY) return true;
        this.controlAt(this.nextControl);
        continue;
      }
      this.now = t;
      this.events++;
      if (departs) {
        const item = q.pop();
        if ((item & 1) === 0) this.depart(item >> 1);
        else this.wake(item >> 1);
      } else if (this.arrivals !== undefined) this.arriveOpen();
      else this.spawn();
    }
    return false;
  }

  /** Closes the last windows once {@link step} is done; returns the end of the run (virtual ms). */
  end(): number {
    const end = Math.max(this.now, this.durationMs < Infinity ? this.durationMs : 0);
    while (this.nextWindow <= end) this.closeWindow();
    if (end > this.windowStart) this.rec.closeWindow(end, this.inflight, this.activeUsers);
    return end;
  }

  /** A window end or a plan event (failure, recovery, scaling) at `t`. */
  private controlAt(t: number): void {
    this.now = t;
    if (t === this.nextWindow) this.closeWindow();
    else this.control.apply(t);
    this.nextControl = Math.min(this.nextWindow, this.control.nextAt);
  }

  private closeWindow(): void {
    const t = this.nextWindow;
    this.rec.closeWindow(t, this.inflight, this.activeUsers);
    this.windowStart = t;
    // A run longer than planned (its length was an estimate) must not grow the timeline without
    // bound: at plan.maxWindows points, windows merge in pairs and double in length.
    if (this.rec.timeline.length >= this.plan.maxWindows) {
      this.rec.mergePairs();
      this.windowMs *= 2;
    }
    this.nextWindow = t + this.windowMs;
  }

  private arriveOpen(): void {
    this.arrive(-1);
    const next = this.arrivals!.next();
    // Two stores, not `cond ? next : INFINITY`, which would box `next` (see step).
    if (next < this.durationMs && this.started < this.maxRequests) this.nextArrival = next;
    else this.nextArrival = INFINITY;
  }

  private spawn(): void {
    const k = this.spawned++;
    const load = this.plan.load;
    const rate = load.model === 'closed' ? load.spawnRate : 1;
    this.nextArrival = this.spawned < this.spawnCount ? userStartOffset(this.spawned, rate) : Infinity;
    if (this.stopped()) return;
    this.activeUsers++;
    this.arrive(k);
  }

  /** A closed-model user's think time is over (or its retry pause). */
  private wake(u: number): void {
    if (this.stopped()) this.activeUsers--;
    else this.arrive(u);
  }

}
