/** The engine's Prometheus metrics: see EngineMetrics and ARCHITECTURE §7. */
export { EngineMetrics, type EngineMetricsOptions, type ObservableRun, type ObserveRunOptions } from './engine-metrics.js';
export { latencyFromSummary, type LatencyCount } from './latency-summary.js';
export { DURATION_HELP, LATENCY_BUCKETS, UNATTRIBUTED_POD, type LabPodProvider, type LabPodState, type RequestCode } from './metric-set.js';
export { timerScheduler, type Cancel, type Scheduler } from './scheduler.js';
export { testLabel } from './test-label.js';
export type { LatencySource, MetricsTick } from './tick-metrics.js';
export { WeightedHistogram, type HistogramChild, type WeightedHistogramOptions } from './weighted-histogram.js';
