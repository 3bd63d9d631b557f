// Bench (not a test) of the Prometheus metrics at the size the engine allows:
// 10 concurrent tests × 100 pods, every series populated.
//   node --import tsx engine/bench/api-metrics.mjs
// Measures the scrape (`metricsText()`, median of 20) and the CPU cost of feeding one 1 s tick
// of all 10 tests (process.cpuUsage delta, median of 20), against the targets below. Also the
// alert store at its bound: a delivery of 100 alerts (provisioning/alertmanager's max_alerts)
// into a store holding its maximum of 1000, and listing them (GET /api/alerts).
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { BUCKET_SLOTS, bucketSlot } from '../src/core/latency-buckets.ts';
import { AlertStore } from '../src/alerts/alert-store.ts';
import { EngineMetrics, testLabel } from '../src/metrics/index.ts';

const TESTS = 10;
const PODS = 100;
const RUNS = 20;
const TARGET_SCRAPE_MS = 50;
const TARGET_TICK_CPU_MS = 5;
const ALERTS_KEPT = 1000;
const ALERTS_PER_DELIVERY = 100;
const TARGET_ALERTS_MS = 5;

/** A stand-in TestRun: the fields and events EngineMetrics reads. */
class BenchRun extends EventEmitter {
  constructor(i) {
    super();
    this.id = `${i.toString(16).padStart(8, '0')}-bench`;
    this.spec = { name: `bench-test-${i}` };
    this.status = 'running';
  }
}

/** A deterministic window: ~100 req/s per pod, a few errors, latencies spread over the buckets. */
function tickFor(second, podNames) {
  let requests = 0;
  let errors = 0;
  const counts = podNames.map((_, p) => 80 + ((p * 7 + second * 13) % 41));
  const total = counts.reduce((a, c) => a + c, 0);
  const pods = podNames.map((name, p) => {
    const n = counts[p];
    const e = (p + second) % 17 === 0 ? 2 : 0;
    requests += n;
    errors += e;
    const p50 = 0.001 * (1 + ((p + second) % 30));
    return { name, requests: n, errors: e, share: n / total, expectedShare: 1 / PODS, eligible: true, latency: { p50, p99: p50 * 8 } };
  });
  // A handful of unattributed failures (connection refused) per window.
  requests += 3;
  errors += 3;
  return {
    id: '',
    name: '',
    elapsed: second,
    expectedDuration: 600,
    window: { requests, errors, balance: { score: 0.97, cov: 0.12, maxMean: 1.2, chiSquareP: 0.02, verdict: 'balanced', utilisation: null } },
    pods,
    totals: { requests: 0, errors: 0, balance: { score: 1, cov: 0, maxMean: 1, chiSquareP: 1, verdict: 'balanced', utilisation: null } },
  };
}

/** The window's latency as a load run passes it with its tick: per pod, counts in the Prometheus buckets and their sum. */
function latencyFor(tick) {
  const out = {};
  for (const p of tick.pods) {
    const counts = new Float64Array(BUCKET_SLOTS);
    let sum = 0;
    const meanUs = (p.latency.p50 * 1e6) / Math.LN2;
    for (let i = 0; i < p.requests; i++) {
      const us = Math.max(1, Math.round(-meanUs * Math.log(1 - (i + 0.5) / p.requests)));
      counts[bucketSlot(us)]++;
      sum += us / 1e6;
    }
    out[p.name] = { counts, sum };
  }
  return out;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const metrics = new EngineMetrics();
const podNames = Array.from({ length: PODS }, (_, p) => `pod-${p}`);
const runs = Array.from({ length: TESTS }, (_, i) => new BenchRun(i));
for (const run of runs) metrics.observeRun(run);
metrics.setLabPods(() => podNames.map((pod, p) => ({ pod, up: p % 10 !== 0, inflight: p % 7 })));
for (const run of runs) for (const pod of podNames.slice(0, 3)) metrics.setFault(testLabel(run.id, run.spec.name), 'latency', pod, true);
metrics.tuningChanged();

// Populate and warm up (JIT) before measuring.
let second = 0;
for (; second < 10; second++) {
  for (const run of runs) {
    const tick = tickFor(second, podNames);
    run.emit('tick', tick, latencyFor(tick));
  }
}

// Tick cost: one window for every test, as the runs would deliver it each second.
const tickCpu = [];
const tickWall = [];
for (let i = 0; i < RUNS; i++, second++) {
  // built outside the measurement: the run pays for those
  const ticks = runs.map(() => tickFor(second, podNames));
  const latencies = ticks.map(latencyFor);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let r = 0; r < TESTS; r++) runs[r].emit('tick', ticks[r], latencies[r]);
  const w1 = performance.now();
  const c = process.cpuUsage(c0);
  tickCpu.push((c.user + c.system) / 1000);
  tickWall.push(w1 - w0);
}

// Scrape cost.
let text = await metrics.metricsText();
const scrape = [];
const scrapeCpu = [];
for (let i = 0; i < RUNS; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  text = await metrics.metricsText();
  scrape.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  scrapeCpu.push((c.user + c.system) / 1000);
}
metrics.close();

/** An alert as Alertmanager delivers it, with annotations of a realistic size. */
function alertFor(n) {
  const test = `bench-test-${n % TESTS}/${(n % TESTS).toString(16).padStart(8, '0')}`;
  return {
    status: n % 5 === 0 ? 'resolved' : 'firing',
    labels: { alertname: ['ScaleImbalance', 'ScaleHighErrorRate', 'ScaleLatencyBreach'][n % 3], severity: 'warning', test, shard: String(n) },
    annotations: { summary: `Load is imbalanced in test ${test}`, description: `Test ${test} has been judged imbalanced for at least 30 s: balance score 0.${n % 1000}`, runbook_url: 'README.md#scaleimbalance' },
    startsAt: new Date(1_800_000_000_000 + n * 1000).toISOString(),
    endsAt: n % 5 === 0 ? new Date(1_800_000_060_000 + n * 1000).toISOString() : '0001-01-01T00:00:00Z',
  };
}
const alerts = new AlertStore({ maxAlerts: ALERTS_KEPT });
let next = 0;
alerts.ingest(Array.from({ length: ALERTS_KEPT }, () => alertFor(next++)));
const deliveryCpu = [];
const listCpu = [];
for (let i = 0; i < RUNS; i++) {
  const batch = Array.from({ length: ALERTS_PER_DELIVERY }, () => alertFor(next++));
  let c0 = process.cpuUsage();
  alerts.ingest(batch);
  let c = process.cpuUsage(c0);
  deliveryCpu.push((c.user + c.system) / 1000);
  c0 = process.cpuUsage();
  alerts.list();
  c = process.cpuUsage(c0);
  listCpu.push((c.user + c.system) / 1000);
}
const kept = alerts.stats();

const lines = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
const rows = [
  ['scrape metricsText() median', median(scrape), TARGET_SCRAPE_MS, 'ms wall'],
  ['scrape metricsText() max', Math.max(...scrape), TARGET_SCRAPE_MS, 'ms wall'],
  ['scrape CPU median', median(scrapeCpu), TARGET_SCRAPE_MS, 'ms CPU'],
  ['tick (10 tests × 100 pods) median', median(tickCpu), TARGET_TICK_CPU_MS, 'ms CPU'],
  ['tick (10 tests × 100 pods) max', Math.max(...tickCpu), TARGET_TICK_CPU_MS, 'ms CPU'],
  ['tick wall median', median(tickWall), TARGET_TICK_CPU_MS, 'ms wall'],
  [`alert delivery (${ALERTS_PER_DELIVERY} into ${ALERTS_KEPT}) median`, median(deliveryCpu), TARGET_ALERTS_MS, 'ms CPU'],
  [`alert list (${ALERTS_KEPT}) median`, median(listCpu), TARGET_ALERTS_MS, 'ms CPU'],
];
// Wall times include waiting for a core: on a shared 2-core machine compare them with the CPU rows.
console.log(`EngineMetrics bench: ${TESTS} tests × ${PODS} pods, ${RUNS} runs; exposition ${lines} samples, ${(text.length / 1024).toFixed(0)} KiB`);
console.log(`${'measure'.padEnd(40)}${'value'.padStart(10)}${'target'.padStart(10)}  unit      verdict`);
for (const [name, value, target, unit] of rows) {
  console.log(`${name.padEnd(40)}${value.toFixed(2).padStart(10)}${('< ' + target).padStart(10)}  ${unit.padEnd(9)} ${value < target ? 'ok' : 'OVER'}`);
}
console.log(`alert store after ${RUNS} deliveries: ${kept.firing + kept.resolved} kept (bound ${ALERTS_KEPT}), ${kept.evicted} evicted, ${(kept.bytes / 1024).toFixed(0)} KiB of text`);
