import { describe, expect, it } from '@jest/globals';
import { faultOf, jain, nth, runUntil, sumPods, windowsWithin } from './timeline.js';

/**
 * Acceptance: faults that take pods away from the balancer (partition refused / black hole,
 * pod failure, kill, scale-down). Real lab, real load, round-robin at L7. A window counts as
 * "during the fault" only when it lies wholly between the fault's recorded start and end.
 * Tolerances: fault start within 1 s of the schedule, end within 1 s of the TTL (timers on a
 * shared machine). Runs stop a few seconds after the last fault was rolled back (pods restart
 * as fresh workers: slow on a busy machine), not at a fixed time.
 */
const SIX = ['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5', 'pod-6'];

describe('acceptance: pods cut off mid-run', () => {
  it('partitioned (refused, black hole) and failed pods get 0 requests while the rest stay balanced; after the TTL they are back', async () => {
    const r = await runUntil({
      name: 'outage',
      seed: 6,
      target: { kind: 'lab', pods: 6, policy: 'round-robin', podBehaviour: [{ latency: 'fixed:2ms' }] },
      load: { model: 'open', stages: [{ rate: 300, duration: '30s' }] },
      faults: [
        { type: 'partition', pods: ['pod-2'], mode: 'refused', at: '500ms', duration: '2500ms' },
        { type: 'partition', pods: ['pod-4'], mode: 'blackhole', connectTimeout: '500ms', at: '500ms', duration: '2500ms' },
        { type: 'pod-failure', pods: ['pod-6'], at: '500ms', duration: '2500ms' },
      ],
    }, { after: nth(3, 'ended'), seconds: 3 });
    expect(r.status).toBe('stopped');
    const faults = r.faults ?? [];
    expect(faults.map((f) => f.type).sort()).toEqual(['partition', 'partition', 'pod-failure']);
    for (const f of faults) {
      expect(f.startedAt).toBeGreaterThanOrEqual(0.5);
      expect(f.startedAt).toBeLessThan(1.5);
      // the TTL, to timer precision; a busy machine may fire the timer late (stated: up to 1 s)
      expect(f.endedAt! - f.startedAt).toBeGreaterThanOrEqual(2.49);
      expect(f.endedAt! - f.startedAt).toBeLessThan(3.5);
      expect(f.endReason).toBe('expired');
    }
    const from = Math.max(...faults.map((f) => f.startedAt));
    const to = Math.min(...faults.map((f) => f.endedAt!));
    const during = windowsWithin(r, from, to);
    expect(during.length).toBeGreaterThanOrEqual(2);
    const [p2, p4, p6] = sumPods(during, ['pod-2', 'pod-4', 'pod-6']);
    expect([p2, p4, p6]).toEqual([0, 0, 0]);
    const rest = sumPods(during, ['pod-1', 'pod-3', 'pod-5']);
    expect(Math.min(...rest)).toBeGreaterThan(50);
    expect(jain(rest)).toBeGreaterThanOrEqual(0.95);
    // the run's own windows judge the remaining pods (the cut-off ones are out of rotation)
    for (const w of during) expect(w.score).toBeGreaterThanOrEqual(0.95);
    // the cut-off requests failed (refused at once, black-holed ones after 500 ms) before ejection
    expect(r.errorsByKind.status).toBeGreaterThan(0);
    // after the TTL all six pods take traffic again and the last window is balanced (an ejected
    // pod is probed back every 500 ms; 1.5 s of margin for the probe and the restart)
    const last = r.timeline.filter((w) => w.t - 1 >= to + 1.5 && w.requests >= 60).at(-1)!;
    expect(last).toBeDefined();
    expect(SIX.filter((p) => !(last.pods[p] > 0))).toEqual([]);
    expect(jain(SIX.map((p) => last.pods[p] ?? 0))).toBeGreaterThanOrEqual(0.95);
  }, 60_000);

  it('scale-down removes pods and brings them back; a killed pod stays down after its fault ends', async () => {
    const r = await runUntil({
      name: 'scale-down-and-kill',
      seed: 7,
      target: { kind: 'lab', pods: 6, policy: 'round-robin', podBehaviour: [{ latency: 'fixed:2ms' }] },
      load: { model: 'open', stages: [{ rate: 300, duration: '30s' }] },
      faults: [
        { type: 'scale-down', pods: ['pod-5', 'pod-6'], at: '500ms', duration: '2s' },
        { type: 'pod-failure', pods: ['pod-1'], kill: true, at: '500ms', duration: '1s' },
      ],
    }, { after: nth(1, 'ended', 'scale-down'), seconds: 3 });
    const down = faultOf(r, 'scale-down');
    const kill = faultOf(r, 'pod-failure');
    expect(down).toMatchObject({ pods: ['pod-5', 'pod-6'], endReason: 'expired' });
    expect(kill).toMatchObject({ pods: ['pod-1'], endReason: 'expired', params: { kill: true } });
    const during = windowsWithin(r, down.startedAt, down.endedAt!);
    expect(during.length).toBeGreaterThanOrEqual(1);
    expect(sumPods(during, ['pod-1', 'pod-5', 'pod-6'])).toEqual([0, 0, 0]);
    const rest = sumPods(during, ['pod-2', 'pod-3', 'pod-4']);
    expect(jain(rest)).toBeGreaterThanOrEqual(0.95);
    // back after the scale-down ended (each pod a fresh worker: allow for its start-up);
    // pod-1 was killed: still nothing after its fault ended
    const after = r.timeline.filter((w) => w.t - 1 >= down.endedAt!);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(sumPods(after, ['pod-5', 'pod-6']).filter((n) => n === 0)).toEqual([]);
    expect(sumPods(r.timeline.filter((w) => w.t - 1 >= kill.endedAt!), ['pod-1'])).toEqual([0]);
  }, 60_000);
});
