import { describe, expect, it } from '@jest/globals';
import { FaultManager } from '../../src/chaos/fault-manager.js';
import type { FaultEvent } from '../../src/chaos/fault.js';
import { seededRandom } from '../../src/core/random.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { FakeLab, FaultGauge } from './fake-lab.js';

/** Manager logic against an in-memory lab: no sockets, no timers beyond short TTLs. */
function setup(pods = 5) {
  const lab = new FakeLab(pods);
  const gauge = new FaultGauge();
  const m = new FaultManager({ metrics: gauge });
  const events: FaultEvent[] = [];
  m.on('fault', (e) => events.push(e));
  m.attach({ id: 'run-1', name: 't' }, lab, seededRandom(1));
  return { lab, gauge, m, events };
}

describe('FaultManager', () => {
  it('fills parameters and targets from the severity preset; explicit values win', async () => {
    const { m, lab } = setup(4);
    const high = await m.inject('run-1', { type: 'latency', severity: 'high' });
    expect(high.params).toEqual({ delay: '1s', fraction: 1 });
    expect(high.pods).toHaveLength(2); // high: 50% of 4 pods
    const low = await m.inject('run-1', { type: 'errors', severity: 'low', status: 503 });
    expect(low.params).toEqual({ rate: 0.05, status: 503 });
    expect(low.pods).toHaveLength(1);
    expect(lab.faults.get(low.pods[0])?.abort).toEqual({ rate: 0.05, status: 503 });
    const pct = await m.inject('run-1', { type: 'connection-reset', percent: 75 });
    expect(pct.pods).toHaveLength(3);
    expect(pct.params).toEqual({ rate: 0.05 });
  });

  it('refuses unknown pods, too many pods and overlaps, listing every problem and changing nothing', async () => {
    const { m, lab, events } = setup(3);
    await expect(m.inject('run-1', { type: 'latency', pods: ['pod-9', 'pod-1', 'nope'] })).rejects.toMatchObject({
      code: 'invalid_input',
      details: [
        { path: 'pods.0', message: expect.stringContaining('no pod "pod-9"') },
        { path: 'pods.2', message: expect.stringContaining('no pod "nope"') },
      ],
    });
    await expect(m.inject('run-1', { type: 'errors', count: 4 })).rejects.toMatchObject({ code: 'invalid_input', details: [{ path: 'count' }] });
    await expect(m.inject('run-1', { type: 'errors', rate: 2, pods: ['pod-1'], count: 1 } as never)).rejects.toMatchObject({
      code: 'invalid_input',
      details: [{ path: 'rate' }, { path: 'count' }],
    });
    await expect(m.inject('run-1', { type: 'scale-down', count: 3 })).rejects.toMatchObject({ details: [{ path: 'count', message: expect.stringContaining('at least one') }] });
    await expect(m.inject('run-2', { type: 'latency' })).rejects.toMatchObject({ code: 'not_found' });
    expect(lab.calls).toEqual([]);
    expect(events).toEqual([]);
    await m.inject('run-1', { type: 'latency', pods: ['pod-1'] });
    await expect(m.inject('run-1', { type: 'latency', pods: ['pod-2', 'pod-1'] })).rejects.toMatchObject({ code: 'conflict' });
    expect(m.list({ state: 'active' })).toHaveLength(1);
  });

  it('a fault that fails on one pod is undone on the others and reported as failed', async () => {
    const { m, lab, events, gauge } = setup(3);
    lab.failOn = 'pod-2';
    await expect(m.inject('run-1', { type: 'partition', pods: ['pod-1', 'pod-2', 'pod-3'] })).rejects.toMatchObject({ code: 'engine_error' });
    expect(lab.partitions.size).toBe(0);
    expect(events.map((e) => e.kind)).toEqual(['failed']);
    expect(m.list()).toMatchObject([{ state: 'failed', endReason: 'failed', error: expect.stringContaining('pod-2') }]);
    expect(gauge.active()).toEqual([]);
  });

  it('ends a fault on its TTL, on remove, and every fault of a test on detach; the gauge follows', async () => {
    const { m, lab, events, gauge } = setup(3);
    const short = await m.inject('run-1', { type: 'latency', pods: ['pod-1'], duration: '150ms' });
    const removed = await m.inject('run-1', { type: 'pod-failure', pods: ['pod-2'] });
    await m.inject('run-1', { type: 'partition', pods: ['pod-3'], mode: 'blackhole' });
    expect(gauge.active()).toEqual(['t/run-1 latency pod-1', 't/run-1 pod-failure pod-2', 't/run-1 partition pod-3']);
    expect(lab.pods().find((p) => p.name === 'pod-2')?.up).toBe(false);
    const r = await m.remove(removed.id);
    expect(r).toMatchObject({ state: 'ended', endReason: 'removed' });
    expect(lab.pods().find((p) => p.name === 'pod-2')?.up).toBe(true); // restarted, as a ReplicaSet would
    expect(await m.remove(removed.id)).toEqual(r); // idempotent
    await expect(m.remove('nope')).rejects.toMatchObject({ code: 'not_found' });
    await new Promise((res) => setTimeout(res, 400));
    expect(m.list().find((f) => f.id === short.id)).toMatchObject({ state: 'ended', endReason: 'expired' });
    expect(lab.faults.get('pod-1')).toEqual({});
    await m.detach('run-1', 'test-ended');
    expect(lab.partitions.size).toBe(0);
    expect(m.list({ state: 'active' })).toEqual([]);
    expect(gauge.active()).toEqual([]);
    expect(events.filter((e) => e.kind === 'ended').map((e) => e.fault.endReason).sort()).toEqual(['expired', 'removed', 'test-ended']);
    await expect(m.inject('run-1', { type: 'latency' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a killed pod stays down after the fault ends', async () => {
    const { m, lab } = setup(2);
    const f = await m.inject('run-1', { type: 'pod-failure', pods: ['pod-1'], kill: true });
    await m.remove(f.id);
    expect(lab.pods().find((p) => p.name === 'pod-1')?.up).toBe(false);
  });

  it('scale-up adds pods copying the first pod and removes them at the end; scale-down brings pods back', async () => {
    const { m, lab } = setup(2);
    const up = await m.inject('run-1', { type: 'scale-up', count: 2 });
    expect(up.pods).toEqual(['pod-3', 'pod-4']);
    const named = await m.inject('run-1', { type: 'scale-up', pods: ['extra'] });
    expect(named.pods).toEqual(['extra']);
    await expect(m.inject('run-1', { type: 'scale-up', pods: ['pod-1'] })).rejects.toMatchObject({ code: 'invalid_input' });
    const down = await m.inject('run-1', { type: 'scale-down', pods: ['pod-1'] });
    expect(lab.pods().map((p) => p.name)).toEqual(['pod-2', 'pod-3', 'pod-4', 'extra']);
    await m.remove(up.id);
    await m.remove(down.id);
    await m.remove(named.id);
    expect(lab.pods().map((p) => p.name).sort()).toEqual(['pod-1', 'pod-2']);
  });

  it('shutdown rolls back every test; a detach waits for an inject in progress and rolls it back too', async () => {
    const { m, lab } = setup(2);
    const lab2 = new FakeLab(2);
    m.attach({ id: 'run-2', name: 'u' }, lab2);
    await m.inject('run-2', { type: 'partition', pods: ['pod-1'] });
    const pending = m.inject('run-1', { type: 'partition', pods: ['pod-2'] });
    await m.shutdown();
    await pending;
    expect(lab.partitions.size + lab2.partitions.size).toBe(0);
    expect(m.list().map((f) => f.endReason)).toEqual(['shutdown', 'shutdown']);
  });
});

describe('faults in a TestSpec', () => {
  const base = { target: { kind: 'lab', pods: 3 }, load: { model: 'open', stages: [{ rate: 10, duration: '10s' }] } };

  it('gets its defaults', () => {
    const s = parseTestSpec({ ...base, faults: [{ type: 'latency', pods: ['pod-2'], delay: '200ms', at: '2s' }] });
    expect(s.faults).toEqual([{ type: 'latency', pods: ['pod-2'], delay: '200ms', at: '2s', duration: '30s', severity: 'medium' }]);
  });

  it('reports every problem at once', () => {
    let issues: Array<{ path: string }> = [];
    try {
      parseTestSpec({
        ...base,
        faults: [
          { type: 'latency', pods: ['pod-7'], delay: 'soon' },
          { type: 'errors', rate: 1.5, at: '12s', count: 5 },
          { type: 'partition', mode: 'sideways', duration: '1ms' },
          { type: 'meteor' },
          { type: 'pod-failure', pods: ['pod-1'], percent: 50, colour: 'red' },
          { type: 'scale-down', count: 3 },
          { type: 'scale-up', pods: ['pod-1'] },
        ],
      });
    } catch (e) {
      issues = (e as { details: Array<{ path: string }> }).details;
    }
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'faults.0.delay',
        'faults.0.pods.0',
        'faults.1.rate',
        'faults.1.at',
        'faults.1.count',
        'faults.2.mode',
        'faults.2.duration',
        'faults.3.type',
        'faults.4.colour',
        'faults.4.percent',
        'faults.5.count',
        'faults.6.pods.0',
      ].sort(),
    );
  });

  it('needs a lab or kubernetes target', () => {
    expect(() => parseTestSpec({ target: { kind: 'url', url: 'http://127.0.0.1:1/' }, faults: [{ type: 'latency' }] })).toThrow(
      expect.objectContaining({ details: [{ path: 'faults', message: 'faults need a lab or kubernetes target' }] }),
    );
  });

  it('accepts pods a scale-up adds', () => {
    const s = parseTestSpec({ ...base, faults: [{ type: 'scale-up', count: 2, at: '1s' }, { type: 'latency', pods: ['pod-5'], at: '2s' }] });
    expect(s.faults).toHaveLength(2);
  });
});
