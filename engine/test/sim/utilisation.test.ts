import { describe, expect, it } from '@jest/globals';
import { podOf, sim } from './helpers.js';

describe('per-pod utilisation in a simulation', () => {
  it('pods that join in a scale-up show the busy fraction of the time they served, like the others (not diluted by the time before they existed)', () => {
    // 4 pods, 2 more at 10 s of 20 s; round-robin at a steady rate: every pod in rotation works alike.
    const r = sim({ policy: 'round-robin', pods: 4, podConcurrency: 2, serviceTime: 'fixed:10ms', load: { model: 'open', arrival: 'constant', rate: 300 }, duration: '20s', events: [{ type: 'scale', at: '10s', to: 6 }], seed: 2 }).result;
    const early = podOf(r, 'pod-1').utilisation!;
    const late = podOf(r, 'pod-6').utilisation!;
    expect(early).toBeGreaterThan(0.1);
    // Over the whole run pod-1 served 300/4 then 300/6 per second; pod-6 only 300/6, but only in the second half.
    expect(late).toBeCloseTo((300 / 6) * 0.01 / 2, 2);
    expect(early).toBeCloseTo(((300 / 4) * 0.01 / 2 + (300 / 6) * 0.01 / 2) / 2, 2);
  });
});
