import type { MetricSet, RequestCode } from './metric-set.js';
import type { HistogramChild } from './weighted-histogram.js';

/**
 * The label sets one `test` label value owns in every metric, so they can all be removed when
 * the test's retention ends (prom-client's `remove` needs each full label set).
 */
export class TestSeries {
  /** Pods with a `scale_pod_share_ratio` series. */
  readonly sharePods = new Set<string>();
  /** Pods with a `scale_request_duration_seconds` series, with their handles (fed every tick). */
  private readonly latencyPods = new Map<string, HistogramChild>();
  /** `scale_requests_total` label sets, keyed by pod and code. */
  private readonly requestSets = new Map<string, { pod: string; code: RequestCode }>();
  /**
   * Last `scale_pod_expected_share_ratio` per pod: it changes only when eligibility or capacity
   * does, so it is set only then (a set costs a label hash; 1000 pods a tick add up).
   */
  private readonly expectedShares = new Map<string, number>();
  /** `scale_fault_active` label sets with their current state. */
  private readonly faults = new Map<string, { type: string; pod: string; active: boolean }>();
  /** True from observeRun until the run is done. */
  live = false;

  constructor(readonly test: string) {}

  /** Adds `n` requests to the counter, remembering the label set. */
  countRequests(m: MetricSet, pod: string, code: RequestCode, n: number): void {
    const key = `${code}\u0000${pod}`;
    if (!this.requestSets.has(key)) this.requestSets.set(key, { pod, code });
    m.requests.inc({ test: this.test, pod, code }, n);
  }

  /** Sets a pod's expected share when it changed. */
  setExpectedShare(m: MetricSet, pod: string, share: number): void {
    if (this.expectedShares.get(pod) === share) return;
    this.expectedShares.set(pod, share);
    m.podExpectedShare.set({ test: this.test, pod }, share);
  }

  /** The latency histogram of one pod of this test. */
  latency(m: MetricSet, pod: string): HistogramChild {
    let child = this.latencyPods.get(pod);
    if (child === undefined) {
      child = m.duration.child({ test: this.test, pod });
      this.latencyPods.set(pod, child);
    }
    return child;
  }

  /** Sets a fault gauge, remembering the label set. */
  setFault(m: MetricSet, type: string, pod: string, active: boolean): void {
    this.faults.set(JSON.stringify([type, pod]), { type, pod, active });
    m.faultActive.set({ test: this.test, type, pod }, active ? 1 : 0);
  }

  /** True while any fault of this test is active. */
  anyFaultActive(): boolean {
    for (const f of this.faults.values()) if (f.active) return true;
    return false;
  }

  /** Removes every series of this test from every metric. */
  removeFrom(m: MetricSet): void {
    const test = this.test;
    for (const { pod, code } of this.requestSets.values()) m.requests.remove({ test, pod, code });
    for (const pod of this.sharePods) m.podShare.remove({ test, pod });
    for (const pod of this.expectedShares.keys()) m.podExpectedShare.remove({ test, pod });
    for (const pod of this.latencyPods.keys()) m.duration.remove({ test, pod });
    for (const { type, pod } of this.faults.values()) m.faultActive.remove({ test, type, pod });
    // Removing a label set that was never set is a no-op in prom-client, so no bookkeeping here.
    for (const g of [m.balanceScore, m.balanceCov, m.balanceMaxMean, m.balanceChi2P, m.imbalance, m.testRunning]) g.remove({ test });
    this.requestSets.clear();
    this.sharePods.clear();
    this.expectedShares.clear();
    this.latencyPods.clear();
    this.faults.clear();
  }
}
