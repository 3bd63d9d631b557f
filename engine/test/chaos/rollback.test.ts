import { describe, expect, it } from '@jest/globals';
import { FaultManager } from '../../src/chaos/fault-manager.js';
import type { FaultEvent } from '../../src/chaos/fault.js';
import { recordFaults } from '../../src/chaos/record-faults.js';
import { Lab } from '../../src/lab/lab.js';
import { runDeps } from '../../src/runs/default-deps.js';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { recordRun } from '../../src/store/record-run.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { agent, countByPod, get, getMany, waitFor } from '../lab/http.js';
import { somePods, useCleanup } from '../lab/lab-fixture.js';
import { FaultGauge } from './fake-lab.js';

/**
 * Rollback on every path, on the real lab: TTL expiry (the pod behaves as before), test stop
 * (every fault of the run ended, the gauge back to 0, the events stored with the run), and
 * reconciliation after a crash. Times are asserted loosely (a shared machine): with a 150 ms
 * delay the median of 3 requests is >= 140 ms, and after the TTL it is over 100 ms lower.
 */
const track = useCleanup();

function ended(m: FaultManager, n: number, timeoutMs = 10_000): Promise<FaultEvent[]> {
  const seen: FaultEvent[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen.length} of ${n} faults ended`)), timeoutMs);
    m.on('fault', (e) => {
      if (e.kind !== 'ended') return;
      seen.push(e);
      if (seen.length === n) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
  });
}

describe('rollback', () => {
  it('on TTL expiry: latency, errors and a partition are gone and the pods behave as before', async () => {
    const lab = track(await Lab.start({ pods: somePods(3), policy: 'round-robin', mode: 'l7', probeIntervalMs: 50, seed: 1 }));
    const a = track(agent());
    const gauge = new FaultGauge();
    const m = new FaultManager({ metrics: gauge });
    m.attach({ id: 'ttl-test', name: 'ttl' }, lab);
    const [p1, p2] = lab.pods();
    const medianMs = async (n: number) => {
      const ms: number[] = [];
      for (let i = 0; i < n; i++) ms.push((await get(p1.url, a)).ms);
      return ms.sort((x, y) => x - y)[n >> 1];
    };
    await medianMs(3); // warm-up: connections and code paths
    const done = ended(m, 3);
    await m.inject('ttl-test', { type: 'latency', pods: ['pod-1'], delay: '150ms', duration: '4s' });
    await m.inject('ttl-test', { type: 'errors', pods: ['pod-2'], rate: 1, status: 503, duration: '4s' });
    await m.inject('ttl-test', { type: 'partition', pods: ['pod-3'], duration: '4s' });
    expect(gauge.active()).toHaveLength(3);
    const during = await medianMs(3);
    expect(during).toBeGreaterThanOrEqual(140);
    expect((await get(p2.url, a)).status).toBe(503);
    const cut = countByPod(await getMany(lab.url, 12, 1, a));
    expect(cut['pod-3']).toBeUndefined();
    expect(cut['(none)']).toBeGreaterThan(0); // the balancer's 502s before it ejected pod-3
    expect(m.list({ state: 'active' })).toHaveLength(3); // still within the TTL

    const events = await done;
    expect(events.map((e) => e.fault.endReason)).toEqual(['expired', 'expired', 'expired']);
    expect(gauge.active()).toEqual([]);
    expect(await medianMs(3)).toBeLessThan(during - 100); // the 150 ms are gone
    expect((await get(p2.url, a)).status).toBe(200);
    // pod-3 is probed back into rotation (every 50 ms) and takes its share again
    expect(await waitFor(() => lab.stats().find((s) => s.name === 'pod-3')!.healthy, 5000)).toBe(true);
    const errorsBefore = lab.stats().map((s) => s.errors);
    const healed = countByPod(await getMany(lab.url, 12, 1, a));
    expect(healed).toEqual({ 'pod-1': 4, 'pod-2': 4, 'pod-3': 4 });
    expect(lab.stats().map((s) => s.errors)).toEqual(errorsBefore); // no new errors anywhere
    await m.detach('ttl-test', 'test-ended');
  }, 30_000);

  it('on test stop: every fault of the run ends at once, the gauge is back to 0 and the events are stored with the run', async () => {
    const db = new SqliteStore(':memory:');
    track({ close: async () => db.close() });
    const gauge = new FaultGauge();
    const faults = new FaultManager({ metrics: gauge });
    const spec = parseTestSpec({
      name: 'stop-me',
      target: { kind: 'lab', pods: 3, podBehaviour: [{ latency: 'fixed:1ms' }] },
      load: { model: 'open', stages: [{ rate: 100, duration: '30s' }] },
      request: { timeout: '20s' },
      faults: [
        { type: 'latency', pods: ['pod-1'], delay: '50ms', duration: '10m' },
        { type: 'partition', pods: ['pod-2'], mode: 'blackhole', connectTimeout: '20s', duration: '10m' },
        { type: 'errors', pods: ['pod-3'], at: '500ms', duration: '10m' },
      ],
    });
    const run = new TestRun(spec, { ...runDeps(), faults });
    recordRun(db, run);
    recordFaults(db, run);
    const third = new Promise<void>((resolve) => faults.on('fault', (e) => e.fault.type === 'errors' && e.kind === 'started' && resolve()));
    await run.start();
    await third;
    expect(faults.list({ state: 'active' })).toHaveLength(3);
    run.stop();
    const r = await run.finished;
    expect(r.status).toBe('stopped');
    expect(r.faults?.map((f) => [f.type, f.endReason])).toEqual([
      ['latency', 'test-stopped'],
      ['partition', 'test-stopped'],
      ['errors', 'test-stopped'],
    ]);
    for (const f of r.faults ?? []) expect(f.endedAt).not.toBeNull();
    expect(faults.list({ state: 'active' })).toEqual([]);
    expect(gauge.active()).toEqual([]);
    await new Promise((res) => setImmediate(res));
    // faults at 0 were applied before the run was stored as running: their events were kept until it was
    const events = db.events(run.id).map((e) => `${e.type} ${(e.data as { type: string }).type}`);
    expect(events.filter((e) => e.startsWith('fault-started')).sort()).toEqual(['fault-started errors', 'fault-started latency', 'fault-started partition']);
    expect(events.filter((e) => e.startsWith('fault-ended'))).toHaveLength(3);
    expect(db.get(run.id)?.faults).toHaveLength(3);
  }, 60_000);

  it('on restart: a fault the store shows active is recorded ended (reconciled), once', async () => {
    const db = new SqliteStore(':memory:');
    track({ close: async () => db.close() });
    db.begin({ id: 'crashed', spec: parseTestSpec({}), startedAt: new Date().toISOString() });
    const open = { id: 'f1', testId: 'crashed', type: 'latency', pods: ['pod-1'], state: 'active', startedAt: new Date().toISOString() };
    db.appendEvent('crashed', { at: open.startedAt, type: 'fault-started', data: open });
    db.appendEvent('crashed', { at: open.startedAt, type: 'fault-started', data: { ...open, id: 'f2' } });
    db.appendEvent('crashed', { at: open.startedAt, type: 'fault-ended', data: { ...open, id: 'f2', state: 'ended' } });
    const m = new FaultManager();
    const ids = db.markInterrupted();
    expect(m.reconcile(db, ids)).toMatchObject([{ id: 'f1', state: 'ended', endReason: 'reconciled' }]);
    expect(db.events('crashed').at(-1)).toMatchObject({ type: 'fault-ended', data: { id: 'f1', endReason: 'reconciled' } });
    expect(m.list()).toMatchObject([{ id: 'f1', endReason: 'reconciled' }]);
    expect(m.reconcile(db, ids)).toEqual([]);
  });
});
