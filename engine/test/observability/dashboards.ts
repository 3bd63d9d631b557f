import { readdirSync, readFileSync } from 'node:fs';
import { readYaml, repoPath } from './repo.js';

/** A dashboard as committed in dashboards/ (the fields the tests read). */
export interface DashboardJson {
  title: string;
  uid: string;
  panels: PanelJson[];
  templating: { list: Array<{ name: string; type: string; query?: unknown; datasource?: DatasourceRef; multi?: boolean; includeAll?: boolean; allValue?: string }> };
  annotations?: { list: Array<{ name: string; datasource?: DatasourceRef; target?: TargetJson }> };
}
export interface PanelJson {
  id: number;
  type: string;
  title: string;
  datasource?: DatasourceRef;
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: TargetJson[];
  panels?: PanelJson[];
}
export interface TargetJson {
  refId?: string;
  expr?: string;
  datasource?: DatasourceRef;
}
export interface DatasourceRef {
  type?: string;
  uid?: string;
}

export const DASHBOARD_DIR = 'dashboards';

export function dashboards(): Array<{ file: string; json: DashboardJson }> {
  return readdirSync(repoPath(DASHBOARD_DIR))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(repoPath(`${DASHBOARD_DIR}/${file}`), 'utf8')) as DashboardJson }));
}

/** Panels, those inside rows included. */
export function panelsOf(d: DashboardJson): PanelJson[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** One PromQL query of a dashboard, named for error messages. */
export interface DashboardQuery {
  where: string;
  expr: string;
  /** Grafana's `label_values(metric, label)` of a query variable, not PromQL. */
  labelValues?: { metric: string; label: string };
}

/** Every query of a dashboard: panel targets, annotation targets and query variables. */
export function queriesOf(d: DashboardJson): DashboardQuery[] {
  const out: DashboardQuery[] = [];
  for (const p of panelsOf(d)) for (const t of p.targets ?? []) if (t.expr) out.push({ where: `"${d.title}" panel "${p.title}" (id ${p.id}, refId ${t.refId})`, expr: t.expr });
  for (const a of d.annotations?.list ?? []) if (a.target?.expr) out.push({ where: `"${d.title}" annotation "${a.name}"`, expr: a.target.expr });
  for (const v of d.templating.list) {
    if (v.type !== 'query' || typeof v.query !== 'string') continue;
    const m = /^label_values\(\s*([^,]+?)\s*,\s*(\w+)\s*\)$/.exec(v.query);
    out.push({ where: `"${d.title}" variable "${v.name}"`, expr: v.query, ...(m ? { labelValues: { metric: m[1], label: m[2] } } : {}) });
  }
  return out;
}

/** The uids of the datasources provisioned for Grafana (provisioning/grafana/datasources). */
export function provisionedDatasourceUids(): Set<string> {
  const dir = 'provisioning/grafana/datasources';
  const uids = readdirSync(repoPath(dir)).flatMap((f) => readYaml<{ datasources: Array<{ uid: string }> }>(`${dir}/${f}`).datasources.map((d) => d.uid));
  return new Set(uids);
}

/** Every `datasource` object anywhere in the dashboard, with where it is. */
export function datasourceRefs(value: unknown, path = ''): Array<{ path: string; ref: DatasourceRef }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => datasourceRefs(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const here = path ? `${path}.${k}` : k;
    const own = k === 'datasource' && v !== null && typeof v === 'object' && !Array.isArray(v) ? [{ path: here, ref: v as DatasourceRef }] : [];
    return [...own, ...datasourceRefs(v, here)];
  });
}
