import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as Gauge } from '@grafana/grafana-foundation-sdk/gauge';
import { PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimeline } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as Timeseries } from '@grafana/grafana-foundation-sdk/timeseries';
import { at, FAULT_ACTIVE, legend, PROMETHEUS, query, scaleDashboard, SCORE_THRESHOLDS, states, THRESHOLD_LINE, thresholds, VERDICT } from './common.js';
import { ONE_TEST, promql } from './promql.js';

const q = promql(ONE_TEST);

/** The limits of the alert rules (provisioning/prometheus/rules/scale-alerts.yml), drawn as thresholds. */
const P99_LIMIT_S = 0.5;
const ERROR_RATIO_LIMIT = 0.05;

/** The pod table's columns: query refId → column title. */
const POD_COLUMNS: Array<[refId: string, title: string, expr: string]> = [
  ['A', 'Share (last 1 s)', q.lastShare(['pod'])],
  ['B', 'Expected share', q.lastExpectedShare(['pod'])],
  ['C', 'Requests/s', q.rps(['pod'])],
  ['D', 'Errors/s', q.errors(['pod'])],
  ['E', 'p99 (s)', q.latency(0.99, ['pod'])],
  ['F', 'Requests', q.totalRequests(['pod'])],
  ['G', 'In flight (lab)', q.labInflight(['pod'])],
  ['H', 'Up (lab)', q.labUp(['pod'])],
];

/** "Scale / Test run": one test, pod by pod, against the limits, over time. */
export function testRun(): Dashboard {
  const pods = new Table().id(7).title('Pods').description('The last values of each pod; lab columns are empty for URL targets.')
    .datasource(PROMETHEUS).gridPos(at(0, 4, 24, 9))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: Object.fromEntries(POD_COLUMNS.map(([refId, title]) => [`Value #${refId}`, title])),
        indexByName: Object.fromEntries([['pod', 0], ...POD_COLUMNS.map(([refId], i) => [`Value #${refId}`, i + 1])]),
      },
    });
  for (const [refId, , expr] of POD_COLUMNS) pods.withTarget(query(refId, expr, undefined, { instant: true, format: PromQueryFormat.Table }));

  return scaleDashboard({
    uid: 'scale-test-run',
    title: 'Scale / Test run',
    description: 'One Scale test: its verdict, every pod, the limits of the alert rules, and a timeline of verdict, faults and alerts.',
    tests: 'one',
  })
    .withPanel(
      new Stat().id(1).title('Status').datasource(PROMETHEUS).gridPos(at(0, 0, 4, 4)).mappings(states(['ended', 'blue'], ['running', 'green']))
        .withTarget(query('A', q.running(), undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(2).title('Verdict (latest)').description('The last 1 s window, or, when that window is too thin to judge, the latest windows pooled (up to 30 s). What ScaleImbalance reads.').datasource(PROMETHEUS).gridPos(at(4, 0, 4, 4)).mappings(VERDICT())
        .withTarget(query('A', q.imbalance(), undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(3).title('Balance score (last window)').datasource(PROMETHEUS).gridPos(at(8, 0, 4, 4)).min(0).max(1).decimals(3).thresholds(SCORE_THRESHOLDS())
        .withTarget(query('A', q.score, undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(4).title('Requests per second').datasource(PROMETHEUS).gridPos(at(12, 0, 4, 4)).unit('reqps')
        .withTarget(query('A', q.rps(), undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(5).title('Error ratio').datasource(PROMETHEUS).gridPos(at(16, 0, 4, 4)).unit('percentunit').decimals(2)
        .thresholds(thresholds([null, 'green'], [ERROR_RATIO_LIMIT, 'red']))
        .withTarget(query('A', q.errorRatio(), undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(6).title('p99 latency').datasource(PROMETHEUS).gridPos(at(20, 0, 4, 4)).unit('s')
        .thresholds(thresholds([null, 'green'], [P99_LIMIT_S, 'red']))
        .withTarget(query('A', q.latency(0.99), undefined, { instant: true })),
    )
    .withPanel(pods)
    .withPanel(
      new Gauge().id(8).title('Balance score against 0.95').description('1 minute average; the alert ScaleImbalance also demands a significant chi-square test.')
        .datasource(PROMETHEUS).gridPos(at(0, 13, 8, 6)).min(0).max(1).decimals(3).thresholds(SCORE_THRESHOLDS())
        .withTarget(query('A', q.scoreAvg1m, undefined, { instant: true })),
    )
    .withPanel(
      new Gauge().id(9).title(`p99 latency against ${P99_LIMIT_S * 1000} ms`).description('The limit of the alert ScaleLatencyBreach.')
        .datasource(PROMETHEUS).gridPos(at(8, 13, 8, 6)).unit('s').min(0).max(P99_LIMIT_S * 2)
        .thresholds(thresholds([null, 'green'], [P99_LIMIT_S, 'red']))
        .withTarget(query('A', q.latency(0.99), undefined, { instant: true })),
    )
    .withPanel(
      new Gauge().id(10).title(`Error ratio against ${ERROR_RATIO_LIMIT * 100}%`).description('The limit of the alert ScaleHighErrorRate.')
        .datasource(PROMETHEUS).gridPos(at(16, 13, 8, 6)).unit('percentunit').min(0).max(ERROR_RATIO_LIMIT * 4)
        .thresholds(thresholds([null, 'green'], [ERROR_RATIO_LIMIT, 'red']))
        .withTarget(query('A', q.errorRatio(), undefined, { instant: true })),
    )
    .withPanel(
      new StateTimeline().id(11).title('Timeline').description('Verdict per scrape, faults as they start and end, and the alerts that fired.')
        .datasource(PROMETHEUS).gridPos(at(0, 19, 24, 8))
        .mappings(FAULT_ACTIVE())
        .overrideByQuery('A', [{ id: 'mappings', value: VERDICT() }])
        .overrideByQuery('C', [{ id: 'mappings', value: states(['', 'transparent'], ['firing', 'red']) }])
        .withTarget(query('A', q.imbalance(), 'verdict'))
        .withTarget(query('B', q.faults(['type', 'pod']), '{{type}} fault on {{pod}}'))
        .withTarget(query('C', q.alerts(['alertname']), '{{alertname}}')),
    )
    .withPanel(
      new Timeseries().id(12).title('Balance score').datasource(PROMETHEUS).gridPos(at(0, 27, 12, 8)).min(0).max(1).decimals(3).legend(legend())
        .thresholds(SCORE_THRESHOLDS()).thresholdsStyle(THRESHOLD_LINE())
        .withTarget(query('A', q.score, 'last window'))
        .withTarget(query('B', q.scoreAvg1m, '1 minute average')),
    )
    .withPanel(
      new Timeseries().id(13).title('Share per pod').datasource(PROMETHEUS).gridPos(at(12, 27, 12, 8)).unit('percentunit').min(0).legend(legend())
        .withTarget(query('A', q.podShare, '{{pod}}'))
        .withTarget(query('B', q.expectedShare, 'expected {{pod}}')),
    )
    .build();
}
