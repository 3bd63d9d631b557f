import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { EngineMetrics } from '../../src/metrics/engine-metrics.js';
import { FakeRun, tick } from './fakes.js';

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';

function promtoolAvailable(): boolean {
  try {
    accessSync(PROMTOOL, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

describe('exposition format', () => {
  it('passes `promtool check metrics` (format and naming lint) with every metric populated', async () => {
    const metrics = new EngineMetrics();
    const run = new FakeRun('1a2b3c4d-0000', 'spike "quoted" \\ name');
    metrics.observeRun(run);
    run.setStatus('running');
    run.emit('tick', tick([['pod-1', 10, 1, 0.002, 0.02], ['pod-2', 30, 0, 0.003, 0.3]], { verdict: 'imbalanced', score: 0.8 }, { requests: 45, errors: 3 }));
    metrics.setFault('spike "quoted" \\ name/1a2b3c4d', 'latency', 'pod-2', true);
    metrics.tuningChanged();
    metrics.setLabPods(() => [{ test: 't/1', pod: 'pod-1', up: true, inflight: 2 }]);
    const text = await metrics.metricsText();
    metrics.close();
    for (const name of ['scale_requests_total{', 'scale_request_duration_seconds_bucket{', 'scale_fault_active{', 'scale_lab_pod_up{', 'scale_engine_process_cpu_seconds_total ']) {
      expect(text).toContain(name);
    }

    // A lint that cannot run must not pass: without promtool this test fails (CI installs
    // Debian's "prometheus" package, which ships it; set PROMTOOL to point elsewhere).
    if (!promtoolAvailable()) throw new Error(`promtool not found at ${PROMTOOL}: install Debian's "prometheus" package (apt-get install --no-install-recommends prometheus) or set PROMTOOL`);
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
