import { collectDefaultMetrics, Registry } from 'prom-client';
import { systemClock, type Clock } from '../core/clock.js';
import type { RunStatus } from '../core/result.js';
import type { BucketCounts } from '../core/latency-buckets.js';
import { NO_POD, UNKNOWN_POD, type WindowLatency } from '../load/load-report.js';
import type { LatencyCount } from './latency-summary.js';
import { createMetricSet, UNATTRIBUTED_POD, type LabPodProvider, type MetricSet } from './metric-set.js';
import { Retention } from './retention.js';
import { timerScheduler, type Scheduler } from './scheduler.js';
import { testLabel } from './test-label.js';
import { TestSeries } from './test-series.js';
import { applyTick, type LatencySource, type MetricsTick } from './tick-metrics.js';

/** Options of {@link EngineMetrics}; every one has a default. */
export interface EngineMetricsOptions {
  /** Decides when a test's series expire. Default: the monotonic system clock. */
  clock?: Clock;
  /** Wakes the expiry up. Default: unref'd setTimeout. */
  scheduler?: Scheduler;
  /**
   * How long an ended test's series stay (with their last values, `scale_test_running` 0) so
   * Prometheus scrapes the final state, in ms. Default 5 minutes: above any sane scrape interval.
   */
  retentionMs?: number;
  /** Also export prom-client's process and Node.js metrics, prefixed `scale_engine_`. Default true. */
  defaultMetrics?: boolean;
}

/** Options of {@link EngineMetrics.observeRun}. */
export interface ObserveRunOptions {
  /**
   * `summary` (default): fill the latency histogram from the bucket counts the run passes with
   * each tick (exact: the load generator counts into the same buckets), or, for a run that
   * passes none, from the tick's per-pod p50/p99 (an approximation, see latency-summary.ts).
   * `external`: leave it to observeLatencies / observeLatencyCounts, so nothing is counted twice.
   */
  latency?: LatencySource;
}

/** The events and fields of a TestRun the metrics use (a TestRun is one). */
export interface ObservableRun {
  readonly id: string;
  readonly spec: { readonly name: string };
  readonly status: RunStatus;
  on(event: 'status', listener: (status: RunStatus) => void): unknown;
  on(event: 'tick', listener: (tick: MetricsTick, latency?: WindowLatency) => void): unknown;
  on(event: 'done', listener: () => void): unknown;
  off(event: 'status', listener: (status: RunStatus) => void): unknown;
  off(event: 'tick', listener: (tick: MetricsTick, latency?: WindowLatency) => void): unknown;
  off(event: 'done', listener: () => void): unknown;
}

/** Prefix of prom-client's process and Node.js metrics: under scale_, yet apart from the §7 names. */
const DEFAULT_METRICS_PREFIX = 'scale_engine_';

/**
 * prom-client's defaults include three gauges named `*_total` (totals of the by-type gauges
 * beside them), which `promtool check metrics` rejects ("non-counter metrics should not have
 * _total suffix"); `sum()` of the by-type gauge gives the same number.
 */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

function addDefaultMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, prefix: DEFAULT_METRICS_PREFIX });
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(DEFAULT_METRICS_PREFIX + name);
}

const DEFAULT_RETENTION_MS = 5 * 60_000;
const ENDED: ReadonlySet<RunStatus> = new Set(['finished', 'stopped', 'failed', 'interrupted']);

/**
 * The engine's Prometheus metrics (ARCHITECTURE §7) in their own Registry, never prom-client's
 * global one (STYLE: prom-client row), so several engines or tests in one process do not mix.
 *
 * Runs feed it through {@link observeRun}; chaos, the tuner and the lab through
 * {@link setFault}, {@link tuningChanged} and {@link setLabPods}. Series of a test are bounded:
 * they live while it runs and for `retentionMs` after, then are removed.
 */
export class EngineMetrics {
  /** The registry holding every metric (for mounting elsewhere, e.g. merging registries). */
  readonly registry: Registry;
  private readonly m: MetricSet;
  private readonly tests = new Map<string, TestSeries>();
  private readonly retention: Retention;
  private labPods?: LabPodProvider;
  private readonly subscriptions = new Set<() => void>();

  constructor(options: EngineMetricsOptions = {}) {
    this.registry = new Registry();
    this.retention = new Retention(options.clock ?? systemClock, options.scheduler ?? timerScheduler, options.retentionMs ?? DEFAULT_RETENTION_MS);
    this.m = createMetricSet(this.registry, () => this.labPods);
    if (options.defaultMetrics ?? true) addDefaultMetrics(this.registry);
  }

  /** Content-Type of {@link metricsText} (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }

  /**
   * Subscribes to a run until its `done`: ticks update counters, shares, balance gauges and
   * (by default) the latency histogram; `scale_test_running` follows the status. Returns an
   * unsubscribe function. A run already ended, or already observed, is ignored.
   */
  observeRun(run: ObservableRun, options: ObserveRunOptions = {}): () => void {
    const test = testLabel(run.id, run.spec.name);
    const existing = this.tests.get(test);
    if (ENDED.has(run.status) || existing?.live) return () => undefined;
    const series = existing ?? this.seriesOf(test);
    series.live = true;
    this.retention.cancel(test);
    this.m.testRunning.set({ test }, run.status === 'running' ? 1 : 0);

    const latency = options.latency ?? 'summary';
    const onStatus = (s: RunStatus) => {
      if (s === 'running') this.m.testRunning.set({ test }, 1);
      else if (ENDED.has(s)) this.m.testRunning.set({ test }, 0);
    };
    const onTick = (tick: MetricsTick, values?: WindowLatency) => {
      if (!series.live) return;
      const exact = latency === 'summary' && values !== undefined;
      applyTick(this.m, series, tick, exact ? 'external' : latency);
      // Responses without a pod header count under "(unattributed)", as in scale_requests_total.
      if (exact) for (const [pod, b] of Object.entries(values)) this.feedBuckets(series, pod === UNKNOWN_POD || pod === NO_POD ? UNATTRIBUTED_POD : pod, b);
    };
    const onDone = () => {
      unsubscribe();
      this.m.testRunning.set({ test }, 0);
      series.live = false;
      this.settle(series);
    };
    const unsubscribe = () => {
      run.off('status', onStatus);
      run.off('tick', onTick);
      run.off('done', onDone);
      this.subscriptions.delete(unsubscribe);
    };
    run.on('status', onStatus);
    run.on('tick', onTick);
    run.on('done', onDone);
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  /**
   * Sets `scale_fault_active{test,type,pod}` (use {@link testLabel} for `test`). A fault's
   * series goes with its test; for a test no run is feeding, it expires `retentionMs` after the
   * last of its faults was cleared.
   */
  setFault(test: string, type: string, pod: string, active: boolean): void {
    const series = this.seriesOf(test);
    series.setFault(this.m, type, pod, active);
    this.settle(series);
  }

  /** Counts `n` (default 1) configuration changes applied by the auto-tuner. */
  tuningChanged(n = 1): void {
    this.m.tuningChanges.inc(n);
  }

  /**
   * Registers (or with `undefined`, removes) the lab's pod reader: `scale_lab_pod_up` and
   * `scale_lab_pod_inflight` are computed from it at every scrape.
   */
  setLabPods(provider: LabPodProvider | undefined): void {
    this.labPods = provider;
  }

  /**
   * Records real latency samples (seconds) of one pod of a test: exact, unlike the per-tick
   * approximation. Pair with `observeRun(run, { latency: 'external' })`.
   */
  observeLatencies(test: string, pod: string, samplesSeconds: ArrayLike<number>): void {
    const series = this.seriesOf(test);
    const child = series.latency(this.m, pod);
    for (let i = 0; i < samplesSeconds.length; i++) child.observe(samplesSeconds[i]);
    this.settle(series);
  }

  /**
   * Records latency as value/count pairs (seconds), e.g. the recorded values of a per-window
   * hdr histogram: exact to the source's resolution, at a cost per distinct value, not per request.
   */
  observeLatencyCounts(test: string, pod: string, counts: Iterable<LatencyCount>): void {
    const series = this.seriesOf(test);
    const child = series.latency(this.m, pod);
    for (const [seconds, count] of counts) child.observe(seconds, count);
    this.settle(series);
  }

  /** Adds one pod's window counts, already in this histogram's buckets; a window with none creates no series. */
  private feedBuckets(series: TestSeries, pod: string, b: BucketCounts): void {
    let n = 0;
    for (let i = 0; i < b.counts.length; i++) n += b.counts[i];
    if (n > 0) series.latency(this.m, pod).addBuckets(b.counts, b.sum);
  }

  /**
   * The Prometheus text exposition; expired tests are dropped first. Identical to
   * `registry.metrics()`, but the latency histogram (most of the lines) is printed by its own
   * preformatted writer instead of prom-client's generic one, which keeps a scrape of
   * 10 tests × 100 pods within budget (engine/bench/api-metrics.mjs).
   */
  async metricsText(): Promise<string> {
    this.retention.sweep();
    if (this.registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE) return this.registry.metrics();
    const duration = this.m.duration;
    const parts = await Promise.all(
      this.registry.getMetricsAsArray().map((metric) =>
        metric.name === duration.name ? duration.exposition() : this.registry.getSingleMetricAsString(metric.name),
      ),
    );
    // The same separators as Registry.metrics() (prom-client lib/registry.js).
    return `${parts.join('\n\n')}\n`;
  }

  /** Test label values that currently have series (live or within retention). */
  tracked(): string[] {
    return [...this.tests.keys()];
  }

  /** Unsubscribes from every run and cancels pending expiries (engine shutdown). */
  close(): void {
    for (const unsubscribe of [...this.subscriptions]) unsubscribe();
    this.retention.close();
  }

  private seriesOf(test: string): TestSeries {
    let s = this.tests.get(test);
    if (s === undefined) {
      s = new TestSeries(test);
      this.tests.set(test, s);
    }
    return s;
  }

  /**
   * Starts the countdown of a test nothing keeps alive (no run feeding it, no active fault),
   * and stops it otherwise. A pending countdown is not restarted by late updates, so a stream
   * of them cannot keep a test forever.
   */
  private settle(series: TestSeries): void {
    const keep = series.live || series.anyFaultActive();
    if (keep) this.retention.cancel(series.test);
    else if (!this.retention.has(series.test)) this.retention.start(series.test, () => this.expire(series));
  }

  private expire(series: TestSeries): void {
    series.removeFrom(this.m);
    this.tests.delete(series.test);
  }
}
