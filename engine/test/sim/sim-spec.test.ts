import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../src/core/errors.js';
import { parseSimSpec, planSimulation } from '../../src/sim/plan-simulation.js';
import { estimateRequests, limitForApi } from '../../src/sim/sim-limits.js';

function issuesOf(input: unknown): Array<{ path: string; message: string }> {
  try {
    parseSimSpec(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).details;
  }
  throw new Error('expected a ValidationError');
}

describe('simulation spec', () => {
  it('fills every default', () => {
    const s = parseSimSpec({});
    expect(s).toMatchObject({ name: 'simulation', seed: 1, policy: 'round-robin', mode: 'l7', balancers: 1, spread: 'round-robin', pods: 5, podConcurrency: 64, serviceTime: 'exp:5ms', load: { model: 'open', arrival: 'poisson', load: 0.8 }, window: '1s' });
    const plan = planSimulation(s);
    expect(plan.maxRequests).toBe(100_000);
    expect(plan.durationMs).toBe(Infinity);
  });

  it('reports every problem at once, with its path', () => {
    const issues = issuesOf({
      pods: 0,
      policy: 'fastest',
      serviceTime: 'exp:fast',
      load: { model: 'open', rate: 100, load: 0.5 },
      podBehaviour: [{ pods: ['pod-99'], speed: -1 }],
      events: [{ type: 'fail', at: 'soon', pods: ['pod-1'] }],
      bogus: true,
    });
    const paths = issues.map((i) => i.path);
    for (const p of ['pods', 'policy', 'serviceTime', 'load', 'podBehaviour.0.speed', 'events.0.at', 'bogus']) expect(paths).toContain(p);
    expect(issues.find((i) => i.path === 'load')?.message).toMatch(/exactly one of rate, load or stages/);
  });

  it('checks pod names against the pods that can exist (scale targets included)', () => {
    expect(issuesOf({ pods: 3, podBehaviour: [{ pods: ['pod-4'], speed: 2 }] }).map((i) => i.path)).toEqual(['podBehaviour.0.pods.0']);
    expect(() => parseSimSpec({ pods: 3, podBehaviour: [{ pods: ['pod-4'], speed: 2 }], events: [{ type: 'scale', at: '1s', to: 4 }] })).not.toThrow();
    expect(issuesOf({ pods: 3, weights: [1, 1] }).map((i) => i.path)).toEqual(['weights']);
  });

  it('load as a fraction of capacity: Σ concurrency × speed / mean service time', () => {
    const plan = planSimulation(parseSimSpec({ pods: 4, podConcurrency: 2, serviceTime: 'exp:10ms', podBehaviour: [{ pods: ['pod-1'], speed: 2 }], load: { model: 'open', load: 0.5 } }));
    // capacity = (2·2 + 2 + 2 + 2) / 10 ms = 1000/s
    expect(plan.load).toEqual({ model: 'open', arrivals: { process: 'poisson', stages: [{ rate: 500, durationMs: Infinity }] } });
    expect(plan.pods[0].speed).toBe(2);
  });

  it('the API refuses more than 5,000,000 simulated requests and caps what it runs', () => {
    const ok = planSimulation(parseSimSpec({ load: { model: 'open', rate: 1000 }, duration: '1h' }));
    expect(estimateRequests(ok)).toBeCloseTo(3_600_000, -3);
    expect(limitForApi(ok).maxRequests).toBe(5_000_000);
    const tooMany = planSimulation(parseSimSpec({ load: { model: 'open', rate: 10_000 }, duration: '1h' }));
    expect(() => limitForApi(tooMany)).toThrow(/at most 5,000,000/);
    expect(() => limitForApi(planSimulation(parseSimSpec({ requests: 6_000_000 })))).toThrow(expect.objectContaining({ code: 'limit_exceeded' }));
    const closed = planSimulation(parseSimSpec({ load: { model: 'closed', users: 10_000 }, serviceTime: 'fixed:1ms', duration: '10m' }));
    expect(() => limitForApi(closed)).toThrow(/limit|at most/);
    // many pods: longer windows keep the timeline within a million cells
    const wide = limitForApi(planSimulation(parseSimSpec({ pods: 5000, load: { model: 'open', rate: 1000 }, duration: '1h' })));
    expect((3_600_000 / wide.windowMs) * 5000).toBeLessThanOrEqual(1_000_000);
  });
});
