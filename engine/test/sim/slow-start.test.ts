import { describe, expect, it } from '@jest/globals';
import { podOf, sim } from './helpers.js';

/**
 * The balancer's slow start against pods that warm up: 4 pods scale to 8 at 10 s under 70% load,
 * the new pods start 6x slower and warm up over 20 s. Seeded; the margins are wide (see values).
 */
const scaleUp = (policy: 'round-robin' | 'power-of-two', slowStart?: string) =>
  sim({
    policy,
    pods: 4,
    podConcurrency: 4,
    serviceTime: 'exp:20ms',
    load: { model: 'open', rate: 560 },
    duration: '40s',
    seed: 3,
    events: [{ type: 'scale', at: '10s', to: 8 }],
    warmup: { duration: '20s', factor: 6 },
    ...(slowStart ? { policyOptions: { slowStart } } : {}),
  }).result;

describe('slow start in the simulator', () => {
  it('round-robin: without it the cold pods queue (p99 seconds); with a 20 s window p99 drops over 5x', () => {
    const plain = scaleUp('round-robin');
    const slow = scaleUp('round-robin', '20s');
    // seen: 4.31 s vs 0.20 s
    expect(slow.latency.p99).toBeLessThan(plain.latency.p99 / 5);
    // the new pods still end with traffic: the ramp ends, it does not starve them
    const last = slow.timeline.filter((w) => w.t > 32 && w.t <= 40);
    for (const pod of ['pod-5', 'pod-6', 'pod-7', 'pod-8']) expect(last.reduce((a, w) => a + (w.pods[pod] ?? 0), 0) / last.reduce((a, w) => a + w.requests, 0)).toBeGreaterThan(0.1);
    expect(podOf(slow, 'pod-8').requests).toBeLessThan(podOf(plain, 'pod-8').requests);
  });

  it('power-of-two: a smaller gain (it already avoids busy pods), still a lower p99', () => {
    // seen: 0.223 s vs 0.163 s
    expect(scaleUp('power-of-two', '20s').latency.p99).toBeLessThan(0.9 * scaleUp('power-of-two').latency.p99);
  });
});
