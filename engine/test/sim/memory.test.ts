import { describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseSimSpec, planSimulation } from '../../src/sim/plan-simulation.js';
import { Simulator } from '../../src/sim/simulator.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection, with the finished simulator still referenced. */
function heapAfter(requests: number): { heap: number; slots: number; sim: Simulator } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const sim = new Simulator(planSimulation(parseSimSpec({ policy: 'round-robin', pods: 10, serviceTime: 'exp:1ms', load: { model: 'open', load: 0.9 }, requests, seed: 4 })));
  sim.run();
  gc();
  return { heap: process.memoryUsage().heapUsed - before, slots: sim.req.used, sim };
}

describe('memory is bounded by pods and requests in flight, not by requests simulated', () => {
  it('2,000,000 requests keep a few MB of heap, about what 200,000 keep', () => {
    const small = heapAfter(200_000);
    const large = heapAfter(2_000_000);
    expect(large.sim.started).toBe(2_000_000);
    expect(large.sim.inflight).toBe(0);
    // Request slots are recycled: the high-water mark is the peak in flight (tens), not 2M.
    expect(large.slots).toBeLessThan(2_000);
    // 2M requests held one by one would need > 100 MB; the whole simulator stays under 8 MB,
    // and 10x the requests adds under 2 MB (the timeline's extra windows).
    expect(large.heap).toBeLessThan(8 * 1024 * 1024);
    expect(large.heap - small.heap).toBeLessThan(2 * 1024 * 1024);
  }, 60_000);
});
