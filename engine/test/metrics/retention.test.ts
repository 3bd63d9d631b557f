import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../src/core/clock.js';
import { EngineMetrics } from '../../src/metrics/engine-metrics.js';
import { Retention } from '../../src/metrics/retention.js';
import { FakeRun, FakeScheduler, samples, tick } from './fakes.js';

const T = 'retained/1a2b3c4d';
const MINUTE = 60_000;

function setup(retentionMs?: number) {
  const scheduler = new FakeScheduler();
  const metrics = new EngineMetrics({ defaultMetrics: false, clock: scheduler.clock, scheduler, retentionMs });
  const run = new FakeRun('1a2b3c4d-0000', 'retained');
  metrics.observeRun(run);
  run.setStatus('running');
  run.emit('tick', tick([['pod-1', 10, 1, 0.001, 0.01], ['pod-2', 10, 0, 0.001, 0.01]], { verdict: 'imbalanced' }));
  return { scheduler, metrics, run };
}

/** Every sample line that carries the test label. */
async function seriesOf(metrics: EngineMetrics, test = T): Promise<string[]> {
  return (await metrics.metricsText()).split('\n').filter((l) => l.includes(`test="${test}"`));
}

describe('retention of an ended test', () => {
  it('keeps the final values for 5 minutes by default, with scale_test_running 0, then removes every series', async () => {
    const { scheduler, metrics, run } = setup();
    metrics.setFault(T, 'kill', 'pod-2', false);
    const live = await seriesOf(metrics);
    // 4 request counters + 2 shares + 2 expected shares + 2 × 17 histogram lines + 6 per-test gauges + 1 fault.
    expect(live).toHaveLength(4 + 2 + 2 + 34 + 6 + 1);

    run.end();
    scheduler.advance(5 * MINUTE - 1);
    const ended = await seriesOf(metrics);
    expect(ended).toHaveLength(live.length);
    expect(ended).toContain(`scale_test_running{test="${T}"} 0`);
    expect(ended).toContain(`scale_imbalance{test="${T}"} 1`);
    expect(ended).toContain(`scale_requests_total{test="${T}",pod="pod-1",code="error"} 1`);

    scheduler.advance(1);
    expect(await seriesOf(metrics)).toEqual([]);
    expect(metrics.tracked()).toEqual([]);
    expect(scheduler.pending).toBe(0);
  });

  it('honours a configured retention and leaves other tests alone', async () => {
    const { scheduler, metrics, run } = setup(30_000);
    const other = new FakeRun('ffffffff-1', 'other');
    metrics.observeRun(other);
    other.emit('tick', tick([['pod-1', 1, 0, 0.001, 0.001]]));
    run.end('failed');
    scheduler.advance(30_000);
    expect(await seriesOf(metrics)).toEqual([]);
    expect((await seriesOf(metrics, 'other/ffffffff')).length).toBeGreaterThan(0);
    expect(metrics.tracked()).toEqual(['other/ffffffff']);
  });

  it('never removes a running test however long it runs', async () => {
    const { scheduler, metrics } = setup(1000);
    scheduler.advance(60 * MINUTE);
    expect(await seriesOf(metrics)).toContain(`scale_test_running{test="${T}"} 1`);
    expect(scheduler.pending).toBe(0);
  });

  it('drops expired series at scrape time even when the timer has not fired yet', async () => {
    const { scheduler, metrics, run } = setup(1000);
    run.end();
    // Time moves without the scheduler running its tasks (a busy event loop delays timers).
    scheduler.clock.advance(1000);
    expect(await seriesOf(metrics)).toEqual([]);
  });

  it('ignores ticks after done and a second observeRun of the same run', async () => {
    const { scheduler, metrics, run } = setup(1000);
    const again = metrics.observeRun(run);
    expect(run.listenerCount('tick')).toBe(1);
    again();
    run.end();
    run.emit('tick', tick([['pod-1', 100, 0, 0.001, 0.001]]));
    expect(await seriesOf(metrics)).toContain(`scale_requests_total{test="${T}",pod="pod-1",code="ok"} 9`);
    scheduler.advance(1000);
    // A run that has already ended is not resubscribed (its series would never be fed).
    metrics.observeRun(run);
    expect(await seriesOf(metrics)).toEqual([]);
  });

  it('keeps a fault of a test no run feeds while it is active, and expires it after it is cleared', async () => {
    const scheduler = new FakeScheduler();
    const metrics = new EngineMetrics({ defaultMetrics: false, clock: scheduler.clock, scheduler, retentionMs: 1000 });
    metrics.setFault('manual/00000000', 'latency', 'pod-3', true);
    scheduler.advance(10 * MINUTE);
    expect(await seriesOf(metrics, 'manual/00000000')).toEqual(['scale_fault_active{test="manual/00000000",type="latency",pod="pod-3"} 1']);
    metrics.setFault('manual/00000000', 'latency', 'pod-3', false);
    scheduler.advance(999);
    expect(await seriesOf(metrics, 'manual/00000000')).toEqual(['scale_fault_active{test="manual/00000000",type="latency",pod="pod-3"} 0']);
    scheduler.advance(1);
    expect(await seriesOf(metrics, 'manual/00000000')).toEqual([]);
  });

  it('expires externally fed latency of a test no run feeds', async () => {
    const scheduler = new FakeScheduler();
    const metrics = new EngineMetrics({ defaultMetrics: false, clock: scheduler.clock, scheduler, retentionMs: 1000 });
    metrics.observeLatencies('ext/00000000', 'pod-1', [0.01]);
    expect(samples(await metrics.metricsText(), 'scale_request_duration_seconds_count')).toHaveLength(1);
    scheduler.advance(1000);
    expect(samples(await metrics.metricsText(), 'scale_request_duration_seconds_count')).toEqual([]);
  });

  it('cancels pending removals on close', () => {
    const { scheduler, metrics, run } = setup(1000);
    run.end();
    expect(scheduler.pending).toBe(1);
    metrics.close();
    expect(scheduler.pending).toBe(0);
  });
});

describe('Retention', () => {
  it('re-arms when the timer fires before the clock reaches the deadline', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    // A scheduler whose timers fire immediately, whatever the clock says.
    const queue: Array<() => void> = [];
    const retention = new Retention(clock, { schedule: (task) => (queue.push(task), () => undefined) }, 100);
    retention.start('a', () => fired.push(clock.now()));
    queue.shift()!();
    expect(fired).toEqual([]);
    expect(retention.has('a')).toBe(true);
    clock.advance(100);
    queue.shift()!();
    expect(fired).toEqual([100]);
    expect(retention.has('a')).toBe(false);
  });

  it('refuses a negative retention', () => {
    expect(() => new Retention(new ManualClock(), new FakeScheduler(), -1)).toThrow(RangeError);
  });
});
