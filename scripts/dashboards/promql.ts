/**
 * The PromQL of the dashboards, in one place: every panel reads the engine's metrics (README
 * "Prometheus metrics") through these builders, so two panels that show the same thing run the
 * same query. `t` is the test matcher: `test=~"$test"` (several tests) or `test="$test"` (one).
 * Dashboards use the raw metrics, not the recording rules, so they also work on a Prometheus
 * that scrapes the engine without provisioning/prometheus/rules.
 */

/** Series of a test that no pod answered (connection refused, no pod header). */
const UNATTRIBUTED = 'pod!="(unattributed)"';
const RATE = '[$__rate_interval]';

const by = (labels: readonly string[]) => (labels.length ? `by (${labels.join(', ')}) ` : '');

export function promql(t: string) {
  const requests = (extra = '') => `scale_requests_total{${t}${extra ? `, ${extra}` : ''}}`;
  const rate = (labels: readonly string[], extra = '') => `sum ${by(labels)}(rate(${requests(extra)}${RATE}))`;
  return {
    running: (labels: readonly string[] = []) => `max ${by(labels)}(scale_test_running{${t}})`,
    score: `scale_balance_score{${t}}`,
    scoreAvg1m: `avg by (test) (avg_over_time(scale_balance_score{${t}}[1m]))`,
    imbalance: (labels: readonly string[] = []) => `max ${by(labels)}(scale_imbalance{${t}})`,
    /** Requests per second, errors included, by the given labels. */
    rps: (labels: readonly string[] = []) => rate(labels),
    /**
     * Each pod's share of the attributed requests over the rate window: steadier than
     * scale_pod_share_ratio (the last 1 s window, sampled at each scrape).
     */
    podShare: `${rate(['test', 'pod'], UNATTRIBUTED)} / on (test) group_left () ${rate(['test'], UNATTRIBUTED)}`,
    /** The share each pod is judged against (the spec's expected capacities), averaged like podShare. */
    expectedShare: `avg by (test, pod) (avg_over_time(scale_pod_expected_share_ratio{${t}}${RATE}))`,
    lastShare: (labels: readonly string[]) => `max ${by(labels)}(scale_pod_share_ratio{${t}})`,
    lastExpectedShare: (labels: readonly string[]) => `max ${by(labels)}(scale_pod_expected_share_ratio{${t}})`,
    /** Failed requests per second; 0 (not "no data") for pods that never failed. */
    errors: (labels: readonly string[]) => `${rate(labels, 'code="error"')} or 0 * ${rate(labels)}`,
    /** Share of requests that failed; 0 when none did. */
    errorRatio: (labels: readonly string[] = []) => `(${rate(labels, 'code="error"')} or 0 * ${rate(labels)}) / ${rate(labels)}`,
    /** A latency quantile (seconds) from the histogram, by the given labels. */
    latency: (q: number, labels: readonly string[] = []) =>
      `histogram_quantile(${q}, sum by (${[...labels, 'le'].join(', ')}) (rate(scale_request_duration_seconds_bucket{${t}}${RATE})))`,
    /** Requests per second in each latency bucket, for a heatmap. */
    latencyBuckets: `sum by (le) (rate(scale_request_duration_seconds_bucket{${t}}${RATE}))`,
    totalRequests: (labels: readonly string[]) => `sum ${by(labels)}(${requests()})`,
    faults: (labels: readonly string[]) => `max ${by(labels)}(scale_fault_active{${t}})`,
    labInflight: (labels: readonly string[]) => `max ${by(labels)}(scale_lab_pod_inflight{${t}})`,
    labUp: (labels: readonly string[]) => `max ${by(labels)}(scale_lab_pod_up{${t}})`,
    /**
     * Firing Scale alerts of the tests, plus those without a test label (ScaleEngineDown), which
     * concern every test.
     */
    alerts: (labels: readonly string[]) => `max ${by(labels)}(ALERTS{alertname=~"Scale.*", alertstate="firing", test=~"$test|"})`,
  };
}

/** Engine-wide: tuning changes applied by the auto-tuner. */
export const TUNING = {
  /** Changes within the rate window: an annotation region around each change. */
  changed: `sum(changes(scale_tuning_changes_total${RATE}))`,
  /** Changes over the dashboard's time range. */
  inRange: 'round(sum(increase(scale_tuning_changes_total[$__range])))',
};

/** How many Scale alerts fire (0, not "no data", when none). */
export const FIRING_ALERTS = 'count(ALERTS{alertname=~"Scale.*", alertstate="firing"}) or vector(0)';

/** Test matchers: every selected test (multi-value variable), or the one test of the variable. */
export const SELECTED_TESTS = 'test=~"$test"';
export const ONE_TEST = 'test="$test"';
