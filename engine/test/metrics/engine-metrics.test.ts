import { describe, expect, it } from '@jest/globals';
import { register as globalRegistry } from 'prom-client';
import { EngineMetrics } from '../../src/metrics/engine-metrics.js';
import { testLabel } from '../../src/metrics/test-label.js';
import { FakeRun, samples, tick } from './fakes.js';

const T = 'spike-on-5-pods/1a2b3c4d';

function started(metrics: EngineMetrics, id = '1a2b3c4d-aaaa-bbbb-cccc-000000000000', name = 'spike-on-5-pods'): FakeRun {
  const run = new FakeRun(id, name);
  metrics.observeRun(run);
  run.setStatus('running');
  return run;
}

describe('testLabel', () => {
  it('joins the spec name and the first 8 characters of the run id', () => {
    expect(testLabel('1a2b3c4d-aaaa-bbbb-cccc-000000000000', 'spike-on-5-pods')).toBe(T);
    expect(testLabel('abc', 'x')).toBe('x/abc');
  });
});

describe('EngineMetrics fed by a run', () => {
  it('exposes counters, shares and balance gauges with the exact values of the ticks', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics);
    run.emit('tick', tick([['pod-1', 10, 1, 0.002, 0.02], ['pod-2', 30, 0, 0.003, 0.3]], { score: 0.8, cov: 0.5, maxMean: 1.5, chiSquareP: 1e-6, verdict: 'imbalanced' }));
    run.emit('tick', tick([['pod-1', 20, 0, 0.002, 0.02], ['pod-2', 20, 2, 0.003, 0.3]], { score: 0.99, cov: 0.1, maxMean: 1.1, chiSquareP: 0.4, verdict: 'balanced' }));
    const text = await metrics.metricsText();

    expect(samples(text, 'scale_requests_total')).toEqual([
      `scale_requests_total{test="${T}",pod="pod-1",code="ok"} 29`,
      `scale_requests_total{test="${T}",pod="pod-1",code="error"} 1`,
      `scale_requests_total{test="${T}",pod="pod-2",code="ok"} 48`,
      `scale_requests_total{test="${T}",pod="pod-2",code="error"} 2`,
    ]);
    // Shares and balance are the last window's, not an average.
    expect(samples(text, 'scale_pod_share_ratio')).toEqual([
      `scale_pod_share_ratio{test="${T}",pod="pod-1"} 0.5`,
      `scale_pod_share_ratio{test="${T}",pod="pod-2"} 0.5`,
    ]);
    expect(samples(text, 'scale_pod_expected_share_ratio')).toEqual([
      `scale_pod_expected_share_ratio{test="${T}",pod="pod-1"} 0.5`,
      `scale_pod_expected_share_ratio{test="${T}",pod="pod-2"} 0.5`,
    ]);
    expect(samples(text, 'scale_balance_score')).toEqual([`scale_balance_score{test="${T}"} 0.99`]);
    expect(samples(text, 'scale_balance_cov')).toEqual([`scale_balance_cov{test="${T}"} 0.1`]);
    expect(samples(text, 'scale_balance_max_mean_ratio')).toEqual([`scale_balance_max_mean_ratio{test="${T}"} 1.1`]);
    expect(samples(text, 'scale_balance_chi2_pvalue')).toEqual([`scale_balance_chi2_pvalue{test="${T}"} 0.4`]);
    expect(samples(text, 'scale_imbalance')).toEqual([`scale_imbalance{test="${T}"} 0`]);
    expect(samples(text, 'scale_test_running')).toEqual([`scale_test_running{test="${T}"} 1`]);
    expect(text).toContain('# HELP scale_requests_total ');
    expect(text).toContain('# TYPE scale_request_duration_seconds histogram');
  });

  it('sets scale_imbalance to 1 only for an imbalanced verdict (not for insufficient data)', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics);
    run.emit('tick', tick([['pod-1', 90, 0, 0.001, 0.002], ['pod-2', 10, 0, 0.001, 0.002]], { verdict: 'imbalanced' }));
    expect(samples(await metrics.metricsText(), 'scale_imbalance')).toEqual([`scale_imbalance{test="${T}"} 1`]);
    run.emit('tick', tick([['pod-1', 2, 0, 0.001, 0.002], ['pod-2', 0, 0, 0, 0]], { verdict: 'insufficient-data' }));
    expect(samples(await metrics.metricsText(), 'scale_imbalance')).toEqual([`scale_imbalance{test="${T}"} 0`]);
  });

  it('a window too thin to judge reads the recent verdict (the latest windows pooled) when the tick carries one', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics);
    run.emit('tick', { ...tick([['pod-1', 10, 0, 0.001, 0.002], ['pod-2', 10, 0, 0.001, 0.002]], { verdict: 'insufficient-data' }), recent: { verdict: 'imbalanced' } });
    expect(samples(await metrics.metricsText(), 'scale_imbalance')).toEqual([`scale_imbalance{test="${T}"} 1`]);
    run.emit('tick', { ...tick([['pod-1', 2, 0, 0.001, 0.002], ['pod-2', 2, 0, 0.001, 0.002]], { verdict: 'insufficient-data' }), recent: { verdict: 'balanced' } });
    expect(samples(await metrics.metricsText(), 'scale_imbalance')).toEqual([`scale_imbalance{test="${T}"} 0`]);
  });

  it('feeds the histogram half at p50 and half at p99 of each window', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics);
    // 11 requests: 6 at 2 ms, 5 at 300 ms.
    run.emit('tick', tick([['pod-1', 11, 0, 0.002, 0.3]]));
    const lines = samples(await metrics.metricsText(), 'scale_request_duration_seconds_bucket');
    const at = (le: string) => lines.find((l) => l.includes(`{le="${le}",`));
    expect(at('0.001')).toBe(`scale_request_duration_seconds_bucket{le="0.001",test="${T}",pod="pod-1"} 0`);
    expect(at('0.0025')).toBe(`scale_request_duration_seconds_bucket{le="0.0025",test="${T}",pod="pod-1"} 6`);
    expect(at('0.25')).toBe(`scale_request_duration_seconds_bucket{le="0.25",test="${T}",pod="pod-1"} 6`);
    expect(at('0.5')).toBe(`scale_request_duration_seconds_bucket{le="0.5",test="${T}",pod="pod-1"} 11`);
    expect(at('+Inf')).toBe(`scale_request_duration_seconds_bucket{le="+Inf",test="${T}",pod="pod-1"} 11`);
    const text = await metrics.metricsText();
    expect(samples(text, 'scale_request_duration_seconds_count')).toEqual([`scale_request_duration_seconds_count{test="${T}",pod="pod-1"} 11`]);
    expect(samples(text, 'scale_request_duration_seconds_sum')).toEqual([`scale_request_duration_seconds_sum{test="${T}",pod="pod-1"} 1.512`]);
  });

  it("uses the bucket counts a run passes with its tick (exact), not the tick's p50/p99", async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics);
    // pod-1: 1 at <= 0.5 ms, 4 in (10 ms, 25 ms], 2 in (0.5 s, 1 s]; pod-2 had no response
    const counts = [1, 0, 0, 0, 0, 4, 0, 0, 0, 0, 2, 0, 0, 0, 0];
    run.emit('tick', tick([['pod-1', 7, 0, 0.02, 0.7], ['pod-2', 0, 0, 0, 0]]), { 'pod-1': { counts, sum: 1.4804 }, 'pod-2': { counts: counts.map(() => 0), sum: 0 } });
    const text = await metrics.metricsText();
    expect(samples(text, 'scale_request_duration_seconds_count')).toEqual([`scale_request_duration_seconds_count{test="${T}",pod="pod-1"} 7`]);
    expect(samples(text, 'scale_request_duration_seconds_sum')).toEqual([`scale_request_duration_seconds_sum{test="${T}",pod="pod-1"} 1.4804`]);
    expect(samples(text, 'scale_request_duration_seconds_bucket').filter((l) => /le="(0\.0005|0\.01|0\.025|0\.5|1|\+Inf)"/.test(l))).toEqual([
      `scale_request_duration_seconds_bucket{le="0.0005",test="${T}",pod="pod-1"} 1`,
      `scale_request_duration_seconds_bucket{le="0.01",test="${T}",pod="pod-1"} 1`,
      `scale_request_duration_seconds_bucket{le="0.025",test="${T}",pod="pod-1"} 5`,
      `scale_request_duration_seconds_bucket{le="0.5",test="${T}",pod="pod-1"} 5`,
      `scale_request_duration_seconds_bucket{le="1",test="${T}",pod="pod-1"} 7`,
      `scale_request_duration_seconds_bucket{le="+Inf",test="${T}",pod="pod-1"} 7`,
    ]);
    // responses without a pod header: under "(unattributed)", as in scale_requests_total
    run.emit('tick', tick([]), { '(unknown)': { counts: [0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0], sum: 0.06 } });
    expect(samples(await metrics.metricsText(), 'scale_request_duration_seconds_count')).toContain(`scale_request_duration_seconds_count{test="${T}",pod="(unattributed)"} 3`);
    // a count array of the wrong length is refused, not half-added
    expect(() => run.emit('tick', tick([['pod-1', 1, 0, 0.02, 0.02]]), { 'pod-1': { counts: [1], sum: 0.02 } })).toThrow(RangeError);
  });

  it('leaves the histogram to the external feeder when asked, with exact samples', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = new FakeRun('1a2b3c4d-x', 'spike-on-5-pods');
    metrics.observeRun(run, { latency: 'external' });
    run.emit('tick', tick([['pod-1', 3, 0, 0.002, 0.3]]));
    expect(samples(await metrics.metricsText(), 'scale_request_duration_seconds_count')).toEqual([]);
    metrics.observeLatencies(T, 'pod-1', [0.0004, 0.001, 0.7]);
    metrics.observeLatencyCounts(T, 'pod-1', [[0.02, 4]]);
    const text = await metrics.metricsText();
    expect(samples(text, 'scale_request_duration_seconds_count')).toEqual([`scale_request_duration_seconds_count{test="${T}",pod="pod-1"} 7`]);
    expect(samples(text, 'scale_request_duration_seconds_bucket').filter((l) => /le="(0\.0005|0\.001|0\.025|1)"/.test(l))).toEqual([
      `scale_request_duration_seconds_bucket{le="0.0005",test="${T}",pod="pod-1"} 1`,
      `scale_request_duration_seconds_bucket{le="0.001",test="${T}",pod="pod-1"} 2`,
      `scale_request_duration_seconds_bucket{le="0.025",test="${T}",pod="pod-1"} 6`,
      `scale_request_duration_seconds_bucket{le="1",test="${T}",pod="pod-1"} 7`,
    ]);
  });

  it('counts requests no pod answered under pod="(unattributed)"', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics);
    // 40 attributed (1 error) + 5 unattributed, of which 3 errors (e.g. connection refused).
    run.emit('tick', tick([['pod-1', 10, 1, 0.001, 0.002], ['pod-2', 30, 0, 0.001, 0.002]], {}, { requests: 45, errors: 4 }));
    const lines = samples(await metrics.metricsText(), 'scale_requests_total').filter((l) => l.includes('(unattributed)'));
    expect(lines).toEqual([
      `scale_requests_total{test="${T}",pod="(unattributed)",code="ok"} 2`,
      `scale_requests_total{test="${T}",pod="(unattributed)",code="error"} 3`,
    ]);
  });

  it('sets the share and the expected share of a pod that left the tick to 0', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics);
    run.emit('tick', tick([['pod-1', 10, 0, 0.001, 0.002], ['pod-2', 10, 0, 0.001, 0.002]]));
    run.emit('tick', tick([['pod-1', 10, 0, 0.001, 0.002]]));
    const text = await metrics.metricsText();
    expect(samples(text, 'scale_pod_share_ratio')).toEqual([
      `scale_pod_share_ratio{test="${T}",pod="pod-1"} 1`,
      `scale_pod_share_ratio{test="${T}",pod="pod-2"} 0`,
    ]);
    expect(samples(text, 'scale_pod_expected_share_ratio')).toEqual([
      `scale_pod_expected_share_ratio{test="${T}",pod="pod-1"} 1`,
      `scale_pod_expected_share_ratio{test="${T}",pod="pod-2"} 0`,
    ]);
  });

  it('follows the run status in scale_test_running and stops listening at done', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = new FakeRun('1a2b3c4d-y', 'spike-on-5-pods');
    metrics.observeRun(run);
    expect(samples(await metrics.metricsText(), 'scale_test_running')).toEqual([`scale_test_running{test="${T}"} 0`]);
    run.setStatus('running');
    expect(samples(await metrics.metricsText(), 'scale_test_running')).toEqual([`scale_test_running{test="${T}"} 1`]);
    run.emit('tick', tick([['pod-1', 5, 0, 0.001, 0.002]]));
    run.end('stopped');
    expect(run.listenerCount('tick') + run.listenerCount('status') + run.listenerCount('done')).toBe(0);
    const text = await metrics.metricsText();
    expect(samples(text, 'scale_test_running')).toEqual([`scale_test_running{test="${T}"} 0`]);
    // Final state stays for the retention period.
    expect(samples(text, 'scale_requests_total')[0]).toBe(`scale_requests_total{test="${T}",pod="pod-1",code="ok"} 5`);
    metrics.close();
  });

  it('keeps two runs of the same spec apart', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const a = started(metrics, 'aaaaaaaa-1', 'same');
    const b = started(metrics, 'bbbbbbbb-2', 'same');
    a.emit('tick', tick([['pod-1', 1, 0, 0.001, 0.001]]));
    b.emit('tick', tick([['pod-1', 2, 0, 0.001, 0.001]]));
    const ok = samples(await metrics.metricsText(), 'scale_requests_total').filter((l) => l.includes('code="ok"'));
    expect(ok).toEqual(['scale_requests_total{test="same/aaaaaaaa",pod="pod-1",code="ok"} 1', 'scale_requests_total{test="same/bbbbbbbb",pod="pod-1",code="ok"} 2']);
    metrics.close();
  });

  it('exposes faults, tuning changes and lab pods read at scrape time', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    started(metrics);
    metrics.setFault(T, 'latency', 'pod-2', true);
    metrics.tuningChanged();
    metrics.tuningChanged(2);
    let inflight = 3;
    metrics.setLabPods(() => [
      { test: 't/1', pod: 'pod-1', up: true, inflight },
      { test: 't/1', pod: 'pod-2', up: false, inflight: 0 },
    ]);
    let text = await metrics.metricsText();
    expect(samples(text, 'scale_fault_active')).toEqual([`scale_fault_active{test="${T}",type="latency",pod="pod-2"} 1`]);
    expect(samples(text, 'scale_tuning_changes_total')).toEqual(['scale_tuning_changes_total 3']);
    expect(samples(text, 'scale_lab_pod_up')).toEqual(['scale_lab_pod_up{test="t/1",pod="pod-1"} 1', 'scale_lab_pod_up{test="t/1",pod="pod-2"} 0']);
    expect(samples(text, 'scale_lab_pod_inflight')).toEqual(['scale_lab_pod_inflight{test="t/1",pod="pod-1"} 3', 'scale_lab_pod_inflight{test="t/1",pod="pod-2"} 0']);

    inflight = 7;
    metrics.setFault(T, 'latency', 'pod-2', false);
    metrics.setLabPods(() => {
      throw new Error('lab is stopping');
    });
    text = await metrics.metricsText();
    expect(samples(text, 'scale_fault_active')).toEqual([`scale_fault_active{test="${T}",type="latency",pod="pod-2"} 0`]);
    expect(samples(text, 'scale_lab_pod_up')).toEqual([]);
    metrics.setLabPods(() => [{ test: 't/1', pod: 'pod-1', up: true, inflight }]);
    expect(samples(await metrics.metricsText(), 'scale_lab_pod_inflight')).toEqual(['scale_lab_pod_inflight{test="t/1",pod="pod-1"} 7']);
    metrics.close();
  });

  it('prints with its fast writer exactly what the registry prints', async () => {
    const metrics = new EngineMetrics({ defaultMetrics: false });
    const run = started(metrics, '1a2b3c4d-z', 'name with "quotes" and \\ backslash');
    run.emit('tick', tick([['pod-1', 10, 1, 0.002, 0.02], ['pod-2', 30, 0, 0.003, 0.3]]));
    metrics.setLabPods(() => [{ test: 't/1', pod: 'pod-1', up: true, inflight: 1 }]);
    const text = await metrics.metricsText();
    expect(text).toContain('scale_request_duration_seconds_count{test="name with \\"quotes\\" and \\\\ backslash/1a2b3c4d",pod="pod-2"} 30');
    expect(text).toBe(await metrics.registry.metrics());
    metrics.close();
  });

  it('uses its own registry: nothing lands in prom-client global one, and two instances coexist', async () => {
    const before = (await globalRegistry.getMetricsAsJSON()).length;
    const a = new EngineMetrics();
    const b = new EngineMetrics();
    expect((await globalRegistry.getMetricsAsJSON()).length).toBe(before);
    expect(a.registry).not.toBe(b.registry);
    const text = await a.metricsText();
    expect(text).toContain('# TYPE scale_engine_process_cpu_seconds_total counter');
    expect(text).not.toContain('_active_handles_total');
    expect(a.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
