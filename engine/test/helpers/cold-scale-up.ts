import type { TestSpec } from '../../src/spec/test-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';

/**
 * The cold scale-up workload the slow-start tests share: 4 lab pods (exp:20ms, 4 at a time)
 * under round-robin at 560 req/s (70% of their capacity) for 14 s; 4 more join at 3 s and start
 * 6x slower, warming up over 8 s. `faults` replaces the scale-up; `slowStart` sets the balancer's.
 */
export function coldScaleUpSpec(o: { slowStart?: string; faults?: unknown[] } = {}): TestSpec {
  return parseTestSpec({
    name: o.slowStart ? 'cold-scale-up-slow-start' : 'cold-scale-up',
    seed: 4,
    target: {
      kind: 'lab',
      pods: 4,
      policy: 'round-robin',
      podBehaviour: [{ latency: 'exp:20ms', concurrency: 4 }],
      warmup: { duration: '8s', factor: 6 },
      ...(o.slowStart ? { policyOptions: { slowStart: o.slowStart } } : {}),
    },
    load: { model: 'open', stages: [{ rate: 560, duration: '14s' }] },
    faults: o.faults ?? [{ type: 'scale-up', count: 4, at: '3s', duration: '11s' }],
  });
}
