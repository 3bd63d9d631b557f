import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  DatasourceVariableBuilder,
  MappingType,
  QueryVariableBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
  type GridPos,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
  type DataSourceRef,
} from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StateTimeline } from '@grafana/grafana-foundation-sdk/statetimeline';

/** Name of the dashboards' datasource variable: users bind their own Prometheus. */
export const DATASOURCE_VARIABLE = 'datasource';

/** Every query and annotation reads the Prometheus chosen by the datasource variable. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** A Prometheus query with its refId set explicitly (the SDK sets none). */
export function query(refId: string, expr: string, legend?: string, o: { instant?: boolean; format?: PromQueryFormat } = {}): DataqueryBuilder {
  const q = new DataqueryBuilder().refId(refId).expr(expr).datasource(PROMETHEUS);
  if (legend !== undefined) q.legendFormat(legend);
  if (o.instant) q.instant();
  else q.range();
  if (o.format) q.format(o.format);
  return q;
}

export function at(x: number, y: number, w: number, h: number): GridPos {
  return { x, y, w, h };
}

/** Absolute thresholds from [value, colour] pairs; the first value is the base (null). */
export function thresholds(...steps: Array<[number | null, string]>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map(([value, color]) => ({ value, color })));
}

/** Balance score colours: red below the default verdict threshold (0.95), green from it. */
export const SCORE_THRESHOLDS = () => thresholds([null, 'red'], [0.95, 'green']);

/** Draws a panel's thresholds as lines (the 0.95 line of the balance score). */
export const THRESHOLD_LINE = () => new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Line);

export function legend(): VizLegendOptionsBuilder {
  return new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom);
}

/** 0/1 gauges shown as words. */
export function states(zero: [string, string], one: [string, string]): ValueMapping[] {
  return [
    {
      type: MappingType.ValueToText,
      options: { '0': { text: zero[0], color: zero[1], index: 0 }, '1': { text: one[0], color: one[1], index: 1 } },
    },
  ];
}

export const VERDICT = () => states(['balanced', 'green'], ['imbalanced', 'red']);

/** A fault's scale_fault_active: nothing while it is off, red while it acts. */
export const FAULT_ACTIVE = () => states(['', 'transparent'], ['active', 'red']);

/** The faults of the selected tests over time, one row per fault, pod and test (`expr`: their scale_fault_active). */
export function faultsTimeline(id: number, title: string, pos: GridPos, expr: string): StateTimeline {
  return new StateTimeline().id(id).title(title).datasource(PROMETHEUS).gridPos(pos)
    .mappings(FAULT_ACTIVE())
    .withTarget(query('A', expr, '{{type}} on {{pod}} ({{test}})'));
}

/**
 * A Scale dashboard: tags, refresh, the datasource variable and the test variable (several
 * tests with "All", or exactly one), and a menu of the other Scale dashboards.
 */
export function scaleDashboard(o: { uid: string; title: string; description: string; tests: 'several' | 'one' }): DashboardBuilder {
  const test = new QueryVariableBuilder('test')
    .label('Test')
    .description('The test label: <spec name>/<first 8 characters of the run id>')
    .datasource(PROMETHEUS)
    .query('label_values(scale_test_running, test)')
    .definition('label_values(scale_test_running, test)')
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
  if (o.tests === 'several') test.multi(true).includeAll(true).allValue('.*');
  return new DashboardBuilder(o.title)
    .uid(o.uid)
    .description(o.description)
    .tags(['scale'])
    .timezone('browser')
    .time({ from: 'now-15m', to: 'now' })
    .refresh('10s')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Prometheus').type('prometheus'))
    .withVariable(test)
    .link(new DashboardLinkBuilder('Scale dashboards').type(DashboardLinkType.Dashboards).tags(['scale']).asDropdown(true).includeVars(true).keepTime(true));
}
