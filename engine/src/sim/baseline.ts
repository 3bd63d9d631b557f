import { seededRandom } from '../core/random.js';
import { EventQueue } from './event-queue.js';
import { grownF64, grownI32 } from './typed-arrays.js';

/** Options of {@link bareEventLoop}. */
export interface BareLoopOptions {
  /** Single-server pods. */
  pods: number;
  /** Offered load as a fraction of total capacity (rho), e.g. 0.9. */
  load: number;
  /** Mean service time, ms (exponential). */
  meanServiceMs: number;
  /** Requests to simulate. */
  requests: number;
  seed: number;
}

/** What the bare loop measured: enough to check it did the same work as the simulator. */
export interface BareLoopResult {
  requests: number;
  /** Mean time in system, ms. */
  meanLatencyMs: number;
  /** Virtual time at the last completion, ms. */
  endMs: number;
}

/**
 * The benchmark's reference: the same event queue and the same arrival/service draws as the
 * simulator, but dispatch is one random integer (no policy object, no pod views, no balancer,
 * no histograms, no timeline). The simulator's speed is reported as a ratio to this loop, which
 * is the cost of the event loop itself. Poisson arrivals, exponential single-server pods with
 * FIFO queues kept as linked lists in typed arrays.
 */
export function bareEventLoop(o: BareLoopOptions): BareLoopResult {
  const n = o.pods;
  const rng = seededRandom(o.seed);
  const rate = (o.load * n) / o.meanServiceMs; // arrivals per ms
  const queue = new EventQueue(n + 16);
  // Per pod: busy flag and a FIFO of waiting request slots.
  const busy = new Uint8Array(n);
  const head = new Int32Array(n).fill(-1);
  const tail = new Int32Array(n).fill(-1);
  // Per request slot: arrival time and next-in-queue link; slots are recycled through `free`.
  let cap = 1024;
  let start: Float64Array = new Float64Array(cap);
  let next: Int32Array = new Int32Array(cap);
  let free: Int32Array = new Int32Array(cap);
  let freeTop = 0;
  let used = 0;
  let sent = 0;
  let done = 0;
  let latencySum = 0;
  let now = 0;
  let nextArrival = -Math.log(1 - rng.next()) / rate;
  let podOf: Int32Array = new Int32Array(cap);
  const serve = (r: number, p: number, t: number): void => {
    busy[p] = 1;
    queue.push(t - o.meanServiceMs * Math.log(1 - rng.next()), r);
  };
  while (done < o.requests) {
    if (sent < o.requests && nextArrival <= queue.topTime) {
      now = nextArrival;
      let r: number;
      if (freeTop > 0) r = free[--freeTop];
      else {
        if (used === cap) {
          cap *= 2;
          start = grownF64(start, cap);
          next = grownI32(next, cap);
          free = grownI32(free, cap);
          podOf = grownI32(podOf, cap);
        }
        r = used++;
      }
      start[r] = now;
      const p = Math.floor(rng.next() * n);
      podOf[r] = p;
      if (busy[p] === 0) serve(r, p, now);
      else {
        next[r] = -1;
        if (tail[p] < 0) head[p] = r;
        else next[tail[p]] = r;
        tail[p] = r;
      }
      sent++;
      nextArrival = now - Math.log(1 - rng.next()) / rate;
    } else {
      now = queue.topTime;
      const r = queue.pop();
      const p = podOf[r];
      latencySum += now - start[r];
      done++;
      free[freeTop++] = r;
      const h = head[p];
      if (h < 0) busy[p] = 0;
      else {
        head[p] = next[h];
        if (head[p] < 0) tail[p] = -1;
        serve(h, p, now);
      }
    }
  }
  return { requests: done, meanLatencyMs: done > 0 ? latencySum / done : 0, endMs: now };
}
