import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

export type QueryType = 'runs' | 'result' | 'live' | 'balance' | 'faults';

export interface ScaleQuery extends DataQuery {
  queryType?: QueryType;
  /** Test id (template variables allowed: `$test`); runs ignores it. */
  testId?: string;
  /** runs: only this status / name. */
  status?: string;
  name?: string;
}

export const DEFAULT_QUERY: Partial<ScaleQuery> = { queryType: 'runs' };

export interface ScaleDataSourceOptions extends DataSourceJsonData {
  engineUrl?: string;
}

export interface ScaleSecureJsonData {
  engineToken?: string;
}
