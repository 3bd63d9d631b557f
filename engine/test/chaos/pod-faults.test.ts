import { describe, expect, it } from '@jest/globals';
import { runSpec } from '../helpers/run-spec.js';
import { faultOf, median } from './timeline.js';

/**
 * Acceptance: the faults that live in the pods (errors, latency, resets, bandwidth), each
 * visible in a real lab run's numbers. Real lab over real sockets, the real load generator.
 * Seeded: each pod draws its fault decisions from its own seeded stream, so the counts are
 * reproducible; tolerances are stated per check and no absolute time is asserted tightly.
 */
const pod = (r: { pods: Array<{ name: string }> }, name: string) => r.pods.find((p) => p.name === name) as (typeof r.pods)[number] & {
  requests: number;
  errors: number;
  latency: { p50: number; p99: number };
};

describe('acceptance: pod faults in a lab run', () => {
  it('errors at 20% on one of 5 pods: that pod errs 20% +/- 3%; latency +100ms on another moves its p50 by 100ms +/- 10%', async () => {
    const r = await runSpec({
      name: 'errors-and-latency',
      seed: 3,
      target: { kind: 'lab', pods: 5, policy: 'round-robin', podBehaviour: [{ latency: 'fixed:2ms' }] },
      load: { model: 'open', stages: [{ rate: 600, duration: '5s' }] },
      faults: [
        { type: 'errors', pods: ['pod-2'], rate: 0.2, duration: '1m' },
        { type: 'latency', pods: ['pod-4'], delay: '100ms', duration: '1m' },
      ],
    });
    expect(r.status).toBe('finished');
    const p2 = pod(r, 'pod-2');
    expect(p2.requests).toBeGreaterThan(500);
    expect(Math.abs(p2.errors / p2.requests - 0.2)).toBeLessThanOrEqual(0.03);
    for (const name of ['pod-1', 'pod-3', 'pod-4', 'pod-5']) expect(pod(r, name).errors).toBe(0);
    // p50 shift of pod-4 against the untouched pods (pod-2 answers its errors at once: excluded)
    const base = median(['pod-1', 'pod-3', 'pod-5'].map((n) => pod(r, n).latency.p50));
    const shift = pod(r, 'pod-4').latency.p50 - base;
    expect(Math.abs(shift - 0.1)).toBeLessThanOrEqual(0.01);
    // in the timeline: both faults active from the first request to the end, errors in every full window
    for (const type of ['errors', 'latency']) expect(faultOf(r, type)).toMatchObject({ startedAt: 0, endReason: 'test-ended' });
    expect(faultOf(r, 'errors').endedAt).toBeGreaterThanOrEqual(4.9);
    for (const w of r.timeline.filter((x) => x.requests > 300)) expect(w.errors).toBeGreaterThan(0);
    expect(faultOf(r, 'latency').params).toEqual({ delay: '100ms', fraction: 1 });
  }, 60_000);

  it('connection resets at 5% on one pod: ~5% of its requests fail (502 from the L7 balancer); a 40 KB/s bandwidth limit adds ~bytes/rate to another', async () => {
    const r = await runSpec({
      name: 'resets-and-bandwidth',
      seed: 4,
      target: { kind: 'lab', pods: 5, policy: 'round-robin', podBehaviour: [{ latency: 'fixed:2ms', responseBytes: 4000 }] },
      load: { model: 'open', stages: [{ rate: 300, duration: '4s' }] },
      faults: [
        { type: 'connection-reset', pods: ['pod-1'], rate: 0.05, duration: '1m' },
        { type: 'bandwidth', pods: ['pod-3'], bytesPerSecond: 40_000, duration: '1m' },
      ],
    });
    const resets = r.statusCodes['502'] ?? 0;
    const toPod1 = pod(r, 'pod-1').requests + resets;
    // 5% of ~240 requests: stated tolerance 2%-9% (binomial spread; seeded, so reproducible)
    expect(resets / toPod1).toBeGreaterThanOrEqual(0.02);
    expect(resets / toPod1).toBeLessThanOrEqual(0.09);
    expect(pod(r, 'pod-1').errors).toBe(0); // answered requests are fine; the resets are unattributed
    // 4000 B at 40,000 B/s = 100 ms more: stated tolerance -15% / +30% (timer pacing in 20 ms slices)
    const base = median(['pod-2', 'pod-4', 'pod-5'].map((n) => pod(r, n).latency.p50));
    const shift = pod(r, 'pod-3').latency.p50 - base;
    expect(shift).toBeGreaterThanOrEqual(0.085);
    expect(shift).toBeLessThanOrEqual(0.13);
    expect(faultOf(r, 'connection-reset').params).toEqual({ rate: 0.05 });
    expect(faultOf(r, 'bandwidth').pods).toEqual(['pod-3']);
  }, 60_000);
});
