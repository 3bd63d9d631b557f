import { AnnotationQueryBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as Timeseries } from '@grafana/grafana-foundation-sdk/timeseries';
import { at, faultsTimeline, legend, PROMETHEUS, query, scaleDashboard, SCORE_THRESHOLDS, THRESHOLD_LINE } from './common.js';
import { FIRING_ALERTS, promql, SELECTED_TESTS, TUNING } from './promql.js';

const q = promql(SELECTED_TESTS);

/**
 * A Prometheus annotation: Grafana marks every step where the query's value is above 0 and joins
 * consecutive steps into one region, so 0/1 gauges need no filter.
 */
function annotation(name: string, refId: string, expr: string, color: string, title: string, tagKeys: string): AnnotationQueryBuilder {
  return new AnnotationQueryBuilder()
    .name(name)
    .datasource(PROMETHEUS)
    .enable(true)
    .iconColor(color)
    .target(query(refId, expr).interval('5s'))
    .titleFormat(title)
    .tagKeys(tagKeys);
}

/** "Scale / Chaos and tuning": faults and tuning changes as annotations over score and latency. */
export function chaosAndTuning(): Dashboard {
  return scaleDashboard({
    uid: 'scale-chaos-and-tuning',
    title: 'Scale / Chaos and tuning',
    description: 'Balance score and latency of the selected Scale tests, with faults, tuning changes and alerts marked where they happened.',
    tests: 'several',
  })
    .annotation(annotation('Faults', 'Faults', q.faults(['test', 'type', 'pod']), 'red', '{{type}} fault on {{pod}} ({{test}})', 'test,type,pod'))
    .annotation(annotation('Tuning changes', 'Tuning', TUNING.changed, 'blue', 'auto-tuner applied a change', ''))
    .annotation(annotation('Alerts', 'Alerts', q.alerts(['alertname', 'test']), 'orange', '{{alertname}} {{test}}', 'alertname,test'))
    .withPanel(
      new Timeseries().id(1).title('Balance score').description('Red regions: faults; blue: tuning changes; orange: alerts.')
        .datasource(PROMETHEUS).gridPos(at(0, 0, 12, 9)).min(0).max(1).decimals(3).legend(legend())
        .thresholds(SCORE_THRESHOLDS()).thresholdsStyle(THRESHOLD_LINE())
        .withTarget(query('A', q.score, '{{test}}')),
    )
    .withPanel(
      new Timeseries().id(2).title('p99 latency').datasource(PROMETHEUS).gridPos(at(12, 0, 12, 9)).unit('s').legend(legend())
        .withTarget(query('A', q.latency(0.99, ['test']), '{{test}}')),
    )
    .withPanel(
      new Timeseries().id(3).title('Requests per second per pod').datasource(PROMETHEUS).gridPos(at(0, 9, 12, 8)).unit('reqps').legend(legend())
        .withTarget(query('A', q.rps(['test', 'pod']), '{{pod}} ({{test}})')),
    )
    .withPanel(
      new Timeseries().id(4).title('Error ratio').datasource(PROMETHEUS).gridPos(at(12, 9, 12, 8)).unit('percentunit').legend(legend())
        .withTarget(query('A', q.errorRatio(['test']), '{{test}}')),
    )
    .withPanel(faultsTimeline(5, 'Faults', at(0, 17, 16, 8), q.faults(['test', 'type', 'pod'])))
    .withPanel(
      new Stat().id(6).title('Tuning changes in range').description('Changes the auto-tuner applied (engine-wide: scale_tuning_changes_total has no test label).')
        .datasource(PROMETHEUS).gridPos(at(16, 17, 4, 8))
        .withTarget(query('A', TUNING.inRange, undefined, { instant: true })),
    )
    .withPanel(
      new Stat().id(7).title('Firing alerts').datasource(PROMETHEUS).gridPos(at(20, 17, 4, 8))
        .withTarget(query('A', FIRING_ALERTS, undefined, { instant: true })),
    )
    .build();
}
