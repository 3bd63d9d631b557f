import { describe, expect, it } from '@jest/globals';
import { parseSimSpec, planSimulation } from '../../src/sim/plan-simulation.js';
import type { SimSpecInput } from '../../src/sim/sim-spec.js';
import { simulate, simulateAsync } from '../../src/sim/simulate.js';

/** A workload that touches every moving part: balancers, errors, failures, scaling, slow start, connections. */
const busy: SimSpecInput = {
  policy: 'peak-ewma',
  pods: 6,
  podConcurrency: 2,
  serviceTime: 'lognormal:8ms,0.6',
  podBehaviour: [{ pods: ['pod-2'], speed: 0.3 }, { pods: ['pod-4'], errorRate: 0.05 }],
  balancers: 3,
  spread: 'random',
  load: { model: 'open', load: 0.85, arrival: 'bursty', burst: { on: '500ms', off: '250ms' } },
  duration: '20s',
  events: [
    { type: 'fail', at: '4s', pods: ['pod-3'] },
    { type: 'recover', at: '8s', pods: ['pod-3'] },
    { type: 'scale', at: '10s', to: 8 },
    { type: 'scale', at: '15s', to: 5 },
  ],
  warmup: { duration: '3s', factor: 4 },
  policyOptions: { slowStart: '2s' },
  timeout: '400ms',
  seed: 42,
};

const closed: SimSpecInput = {
  policy: 'consistent-hash',
  mode: 'l4',
  pods: 4,
  load: { model: 'closed', users: 40, spawnRate: 200, thinkTime: 'exp:20ms' },
  connections: { maxConnections: 16, requestsPerConnection: 25 },
  duration: '10s',
  seed: 9,
};

describe('determinism', () => {
  it.each([
    ['open, bursty, 3 balancers, failures, scaling, slow start', busy],
    ['closed, L4, pooled connections with recycling, consistent-hash', closed],
  ])('%s: the same seed gives the same Result, a different seed a different one', (_name, spec) => {
    const plan = planSimulation(parseSimSpec(spec));
    const a = simulate(plan).result;
    const b = simulate(planSimulation(parseSimSpec(spec))).result;
    expect(b).toEqual(a);
    expect(a.totals.requests).toBeGreaterThan(1000);
    const c = simulate(planSimulation(parseSimSpec({ ...spec, seed: (spec.seed ?? 1) + 1 }))).result;
    expect(c.totals.requests === a.totals.requests && c.latency.p99 === a.latency.p99 && c.latency.mean === a.latency.mean).toBe(false);
  });

  it('simulateAsync (in slices, yielding) gives the same Result as simulate', async () => {
    const plan = planSimulation(parseSimSpec(busy));
    let yields = 0;
    const sliced = await simulateAsync(plan, { sliceEvents: 5_000, yieldNow: async () => void yields++ });
    expect(yields).toBeGreaterThan(5);
    expect(sliced.result).toEqual(simulate(plan).result);
  });
});
