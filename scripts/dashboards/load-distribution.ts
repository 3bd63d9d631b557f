import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as Heatmap, YAxisConfigBuilder } from '@grafana/grafana-foundation-sdk/heatmap';
import { PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as Timeseries } from '@grafana/grafana-foundation-sdk/timeseries';
import { at, faultsTimeline, legend, PROMETHEUS, query, scaleDashboard, SCORE_THRESHOLDS, THRESHOLD_LINE, thresholds, VERDICT } from './common.js';
import { FIRING_ALERTS, promql, SELECTED_TESTS } from './promql.js';

const q = promql(SELECTED_TESTS);

/** "Scale / Load distribution": how the selected tests spread their load, live. */
export function loadDistribution(): Dashboard {
  return scaleDashboard({
    uid: 'scale-load-distribution',
    title: 'Scale / Load distribution',
    description: 'Per-pod share against the expected share, the balance score, request rate, latency and errors per pod, active faults and alerts of the selected Scale tests.',
    tests: 'several',
  })
    .withPanel(
      new Stat().id(1).title('Tests running').datasource(PROMETHEUS).gridPos(at(0, 0, 4, 4))
        .withTarget(query('A', `sum(${q.running(['test'])})`, undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(2).title('Balance score (last window)').description("Jain's index over the last 1 s window, on the test's basis (pod work where busy time is known, else requests per expected share): 1 is even, 1/n all on one pod; 0 when no response named a pod.")
        .datasource(PROMETHEUS).gridPos(at(4, 0, 6, 4)).min(0).max(1).decimals(3).thresholds(SCORE_THRESHOLDS())
        .withTarget(query('A', q.score, '{{test}}', { instant: true })),
    )
    .withPanel(
      new Stat().id(3).title('Verdict (latest)').description('Imbalanced: score below the threshold and a chi-square p-value below 0.001 (not sampling noise), over the last 1 s window, or, when that window is too thin to judge, the latest windows pooled (up to 30 s). What ScaleImbalance reads.')
        .datasource(PROMETHEUS).gridPos(at(10, 0, 5, 4)).mappings(VERDICT())
        .withTarget(query('A', q.imbalance(['test']), '{{test}}', { instant: true })),
    )
    .withPanel(
      new Stat().id(4).title('Requests per second').datasource(PROMETHEUS).gridPos(at(15, 0, 3, 4)).unit('reqps')
        .withTarget(query('A', q.rps(), undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(5).title('Error ratio').datasource(PROMETHEUS).gridPos(at(18, 0, 3, 4)).unit('percentunit').decimals(2)
        .thresholds(thresholds([null, 'green'], [0.05, 'red']))
        .withTarget(query('A', q.errorRatio(), undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(6).title('Firing alerts').datasource(PROMETHEUS).gridPos(at(21, 0, 3, 4))
        .thresholds(thresholds([null, 'green'], [1, 'red']))
        .withTarget(query('A', FIRING_ALERTS, undefined, { instant: true })),
    )
    .withPanel(
      new Timeseries().id(7).title('Share per pod against the expected share')
        .description("Solid: each pod's share of the attributed requests. Dashed: the share it should get (from the test's expected capacities).")
        .datasource(PROMETHEUS).gridPos(at(0, 4, 12, 9)).unit('percentunit').min(0).legend(legend())
        .withTarget(query('A', q.podShare, '{{pod}} ({{test}})'))
        .withTarget(query('B', q.expectedShare, 'expected {{pod}} ({{test}})'))
        .overrideByQuery('B', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]),
    )
    .withPanel(
      new Timeseries().id(8).title('Balance score').description('Per 1 s window and its 1 minute average; the line marks the default verdict threshold, 0.95.')
        .datasource(PROMETHEUS).gridPos(at(12, 4, 12, 9)).min(0).max(1).decimals(3).legend(legend())
        .thresholds(SCORE_THRESHOLDS()).thresholdsStyle(THRESHOLD_LINE())
        .withTarget(query('A', q.score, '{{test}}'))
        .withTarget(query('B', q.scoreAvg1m, '{{test}} (1 min average)')),
    )
    .withPanel(
      new Timeseries().id(9).title('Requests per second per pod').datasource(PROMETHEUS).gridPos(at(0, 13, 12, 8)).unit('reqps').legend(legend())
        .withTarget(query('A', q.rps(['test', 'pod']), '{{pod}} ({{test}})')),
    )
    .withPanel(
      new Timeseries().id(10).title('Errors per second by pod').description('"(unattributed)": requests no pod answered (refused, reset, timed out).')
        .datasource(PROMETHEUS).gridPos(at(12, 13, 12, 8)).unit('reqps').legend(legend())
        .withTarget(query('A', q.errors(['test', 'pod']), '{{pod}} ({{test}})')),
    )
    .withPanel(
      new Heatmap().id(11).title('Latency').description('Requests per second in each latency bucket of scale_request_duration_seconds.')
        .datasource(PROMETHEUS).gridPos(at(0, 21, 12, 9)).calculate(false).yAxis(new YAxisConfigBuilder().unit('s'))
        .withTarget(query('A', q.latencyBuckets, '{{le}}', { format: PromQueryFormat.Heatmap })),
    )
    .withPanel(
      new Timeseries().id(12).title('p50 and p99 latency per pod').datasource(PROMETHEUS).gridPos(at(12, 21, 12, 9)).unit('s').legend(legend())
        .withTarget(query('A', q.latency(0.99, ['test', 'pod']), 'p99 {{pod}} ({{test}})'))
        .withTarget(query('B', q.latency(0.5, ['test', 'pod']), 'p50 {{pod}} ({{test}})')),
    )
    .withPanel(faultsTimeline(13, 'Active faults', at(0, 30, 14, 8), q.faults(['test', 'type', 'pod'])))
    .withPanel(
      new Table().id(14).title('Active alerts').description('Scale alerts firing in Prometheus (Alertmanager also delivers them to the engine: GET /api/alerts).')
        .datasource(PROMETHEUS).gridPos(at(14, 30, 10, 8))
        .withTarget(query('A', q.alerts(['alertname', 'severity', 'test']), undefined, { instant: true, format: PromQueryFormat.Table }))
        .withTransformation({ id: 'organize', options: { excludeByName: { Time: true, Value: true } } }),
    )
    .build();
}
