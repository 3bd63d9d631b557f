import { describe, expect, it } from '@jest/globals';
import type { PodResult, Result } from '../../src/core/result.js';
import { faultOf, median, runUntil } from './timeline.js';

/**
 * Acceptance: the faults that live in the pods (errors, resets, latency, bandwidth), each
 * visible in a real lab run's numbers. Real lab over real sockets, the real load generator.
 * Counts come from an open-model run: seeded, each pod draws its fault decisions from its own
 * stream, so they are reproducible. Times come from a light closed-model run (latency measured
 * per request, no schedule lag on a busy machine), against pods of the same run. Each run stops
 * once it has the samples it needs (3,000 and 600 requests), however slow the machine is.
 */
const pod = (r: Result, name: string): PodResult => r.pods.find((p) => p.name === name)!;

describe('acceptance: pod faults in a lab run', () => {
  it('errors at 20% on one of 5 pods: that pod errs 20% +/- 3%; resets at 5% on another: ~5% of its requests fail', async () => {
    const r = await runUntil({
      name: 'errors-and-resets',
      seed: 3,
      target: { kind: 'lab', pods: 5, policy: 'round-robin', podBehaviour: [{ latency: 'fixed:2ms' }] },
      load: { model: 'open', stages: [{ rate: 600, duration: '30s' }] },
      faults: [
        { type: 'errors', pods: ['pod-2'], rate: 0.2, duration: '1m' },
        { type: 'connection-reset', pods: ['pod-1'], rate: 0.05, duration: '1m' },
      ],
    }, { requests: 3000 });
    expect(r.status).toBe('stopped');
    const p2 = pod(r, 'pod-2');
    expect(p2.requests).toBeGreaterThan(550);
    const rate = p2.errors / p2.requests;
    // thrown with the numbers, so that a failure shows what happened
    if (Math.abs(rate - 0.2) > 0.03) throw new Error(`pod-2 erred ${rate}, not 20% +/- 3%: ${JSON.stringify({ pods: r.pods, faults: r.faults, codes: r.statusCodes })}`);
    for (const name of ['pod-1', 'pod-3', 'pod-4', 'pod-5']) expect(pod(r, name).errors).toBe(0);
    // a reset reaches the client as the L7 balancer's 502, without a pod header: 5% of the ~600
    // requests sent to pod-1, stated tolerance 2%-9% (binomial spread)
    const resets = r.statusCodes['502'] ?? 0;
    const toPod1 = pod(r, 'pod-1').requests + resets;
    expect(resets / toPod1).toBeGreaterThanOrEqual(0.02);
    expect(resets / toPod1).toBeLessThanOrEqual(0.09);
    // in the timeline: both active from the first request to the end, errors in every full window
    for (const type of ['errors', 'connection-reset']) expect(faultOf(r, type)).toMatchObject({ startedAt: 0, endReason: 'test-stopped' });
    expect(faultOf(r, 'errors').endedAt).toBeGreaterThanOrEqual(r.timeline.at(-2)!.t);
    expect(faultOf(r, 'errors').params).toEqual({ rate: 0.2, status: 500 });
    for (const w of r.timeline.filter((x) => x.requests > 300)) expect(w.errors).toBeGreaterThan(0);
  }, 60_000);

  // 250 ms rather than less, so that +/- 10% is not eaten by timer lateness on a loaded machine
  it('latency +250ms moves that pod p50 by 250ms +/- 10%; 20 KB/s on 4 KB responses adds ~200ms to another', async () => {
    const r = await runUntil({
      name: 'latency-and-bandwidth',
      seed: 4,
      target: { kind: 'lab', pods: 5, policy: 'round-robin', podBehaviour: [{ latency: 'fixed:2ms', responseBytes: 4000 }] },
      load: { model: 'closed', users: 30, spawnRate: 1000, duration: '30s', thinkTime: 'fixed:20ms' },
      faults: [
        { type: 'latency', pods: ['pod-4'], delay: '250ms', duration: '1m' },
        // the control: its requests take the same path through the pod (one more timer) with no delay to speak of
        { type: 'latency', pods: ['pod-5'], delay: '1us', duration: '1m' },
        { type: 'bandwidth', pods: ['pod-3'], bytesPerSecond: 20_000, duration: '1m' },
      ],
    }, { requests: 600 });
    expect(r.status).toBe('stopped');
    const p50 = (n: string) => pod(r, n).latency.p50;
    expect(pod(r, 'pod-4').requests).toBeGreaterThan(100);
    // against the control the shift is the set delay, +/- 10% (the acceptance criterion) ...
    expect(Math.abs(p50('pod-4') - p50('pod-5') - 0.25)).toBeLessThanOrEqual(0.025);
    // ... and against the untouched pods at least that (plus one timer's lateness when the machine is busy)
    const base = median([p50('pod-1'), p50('pod-2')]);
    expect(p50('pod-4') - base).toBeGreaterThanOrEqual(0.225);
    expect(p50('pod-4') - base).toBeLessThanOrEqual(0.35);
    // 4000 B at 20,000 B/s = 200 ms: stated tolerance -15% / +30% (paced by timers in 20 ms slices)
    const slow = p50('pod-3') - base;
    expect(slow).toBeGreaterThanOrEqual(0.17);
    expect(slow).toBeLessThanOrEqual(0.26);
    expect(r.faults?.find((f) => f.pods[0] === 'pod-4')).toMatchObject({ type: 'latency', startedAt: 0, params: { delay: '250ms', fraction: 1 } });
    expect(faultOf(r, 'bandwidth')).toMatchObject({ pods: ['pod-3'], params: { bytesPerSecond: 20_000 } });
    expect(r.totals.errors).toBe(0);
  }, 60_000);
});
