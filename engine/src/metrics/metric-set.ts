import { Counter, Gauge, type Registry } from 'prom-client';
import { WeightedHistogram } from './weighted-histogram.js';
import { LATENCY_BUCKETS } from '../core/latency-buckets.js';

/** A lab pod as the lab reports it at scrape time. */
export interface LabPodState {
  /** The test whose lab this pod belongs to ({@link testLabel}): every lab test has its own lab. */
  test: string;
  pod: string;
  /** Serving and in the balancer's rotation. */
  up: boolean;
  /** Requests the pod is serving now. */
  inflight: number;
}

/** Reads the lab's pods at scrape time (registered by the lab; may be absent). */
export type LabPodProvider = () => readonly LabPodState[];

/** `code` values of `scale_requests_total`; see {@link REQUESTS_HELP}. */
export type RequestCode = 'ok' | 'error';

/** Pod label for requests the run could not attribute to a pod (no response, or no pod header). */
export const UNATTRIBUTED_POD = '(unattributed)';

/** The latency buckets (core/latency-buckets.ts: the load generator counts into the same ones). */
export { LATENCY_BUCKETS };

const REQUESTS_HELP =
  'Requests sent by a test, by serving pod (from the pod header; "(unattributed)" when no pod answered or the header was missing) ' +
  'and outcome code: "ok" = a response below 400, "error" = status >= 400 or no complete response ' +
  '(the run reports errors per pod, not status codes per pod).';

/**
 * HELP of the latency histogram. The resolution is stated here because the dashboards show
 * this text and whoever reads a quantile near a bucket bound should know it.
 */
export const DURATION_HELP =
  'Request latency in seconds, by test and pod, counted into these buckets by the load generator as each response arrives ' +
  '(open model: from the scheduled send time, so queueing in the generator is included).';

/** Every metric of ARCHITECTURE §7, registered in one registry. */
export interface MetricSet {
  registry: Registry;
  requests: Counter<'test' | 'pod' | 'code'>;
  duration: WeightedHistogram<'test' | 'pod'>;
  podShare: Gauge<'test' | 'pod'>;
  podExpectedShare: Gauge<'test' | 'pod'>;
  balanceScore: Gauge<'test'>;
  balanceCov: Gauge<'test'>;
  balanceMaxMean: Gauge<'test'>;
  balanceChi2P: Gauge<'test'>;
  imbalance: Gauge<'test'>;
  testRunning: Gauge<'test'>;
  faultActive: Gauge<'test' | 'type' | 'pod'>;
  tuningChanges: Counter;
  labPodUp: Gauge<'test' | 'pod'>;
  labPodInflight: Gauge<'test' | 'pod'>;
}

/**
 * Defines the metrics in `registry`. Lab pod gauges are derived in `collect()` at scrape time
 * (STYLE: prom-client row) from `labPods()`, so they are never stale and need no timer.
 */
export function createMetricSet(registry: Registry, labPods: () => LabPodProvider | undefined): MetricSet {
  const registers = [registry];
  const perTest = (name: string, help: string) => new Gauge({ name, help, labelNames: ['test'] as const, registers });
  return {
    registry,
    requests: new Counter({ name: 'scale_requests_total', help: REQUESTS_HELP, labelNames: ['test', 'pod', 'code'] as const, registers }),
    duration: new WeightedHistogram({
      name: 'scale_request_duration_seconds',
      help: DURATION_HELP,
      labelNames: ['test', 'pod'] as const,
      buckets: LATENCY_BUCKETS,
      registry,
    }),
    podShare: new Gauge({
      name: 'scale_pod_share_ratio',
      help: "Pod's share (0..1) of the test's attributed requests in the last 1 s window; 0 for a pod not eligible for traffic.",
      labelNames: ['test', 'pod'] as const,
      registers,
    }),
    podExpectedShare: new Gauge({
      name: 'scale_pod_expected_share_ratio',
      help: "Pod's expected share (0..1) in the last 1 s window, from the spec's expected capacities over the pods eligible for traffic; 0 for a pod not eligible. What scale_pod_share_ratio is judged against.",
      labelNames: ['test', 'pod'] as const,
      registers,
    }),
    balanceScore: perTest(
      'scale_balance_score',
      "Jain's fairness index of the last 1 s window on the run's basis: pod utilisation (busy time per slot) where the target reports busy time and the spec gives no expect.capacity, else requests per expected share. 1/n (all on one pod) to 1 (even); 0 when no response named a pod.",
    ),
    balanceCov: perTest('scale_balance_cov', "Coefficient of variation of the per-pod figures scale_balance_score compares (utilisation, or requests per expected share) in the last 1 s window."),
    balanceMaxMean: perTest('scale_balance_max_mean_ratio', 'The hottest pod\'s share over its expected share (max/mean with equal shares) on the basis scale_balance_score judges, in the last 1 s window.'),
    balanceChi2P: perTest('scale_balance_chi2_pvalue', "Chi-square goodness-of-fit p-value of the last 1 s window against the expected shares (requests weighted by service time on the utilisation basis)."),
    imbalance: perTest(
      'scale_imbalance',
      '1 when the test\'s latest traffic was judged imbalanced (score below threshold and chi-square p < 0.001), else 0: the last 1 s window, or when that window is too thin to judge (under 5 expected requests on a pod), the latest windows pooled, as few as make it judgeable (up to 30). Keeps its last value after the test ends, until the series expire.',
    ),
    testRunning: perTest('scale_test_running', '1 while the test runs, 0 once it has ended (the series expire after the retention period).'),
    faultActive: new Gauge({
      name: 'scale_fault_active',
      help: '1 while a fault of this type is injected into the pod for the test, else 0.',
      labelNames: ['test', 'type', 'pod'] as const,
      registers,
    }),
    tuningChanges: new Counter({ name: 'scale_tuning_changes_total', help: 'Configuration changes applied by the auto-tuner.', registers }),
    labPodUp: new Gauge({
      name: 'scale_lab_pod_up',
      help: '1 when the embedded lab pod is up and in rotation, else 0 (read at scrape time).',
      labelNames: ['test', 'pod'] as const,
      registers,
      collect() {
        setFromLab(this, labPods(), (p) => (p.up ? 1 : 0));
      },
    }),
    labPodInflight: new Gauge({
      name: 'scale_lab_pod_inflight',
      help: 'Requests the embedded lab pod is serving now (read at scrape time).',
      labelNames: ['test', 'pod'] as const,
      registers,
      collect() {
        setFromLab(this, labPods(), (p) => p.inflight);
      },
    }),
  };
}

/**
 * Replaces the gauge's series with the provider's pods: a pod the lab no longer has disappears.
 * A provider that throws yields no series rather than failing the whole scrape.
 */
function setFromLab(gauge: Gauge<'test' | 'pod'>, provider: LabPodProvider | undefined, value: (p: LabPodState) => number): void {
  gauge.reset();
  if (provider === undefined) return;
  let pods: readonly LabPodState[];
  try {
    pods = provider();
  } catch {
    return;
  }
  for (const p of pods) gauge.set({ test: p.test, pod: p.pod }, value(p));
}
