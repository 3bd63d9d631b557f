import { DataSourcePlugin } from '@grafana/data';
import { ConfigEditor } from './ConfigEditor';
import { ScaleDataSource } from './datasource';
import { QueryEditor } from './QueryEditor';
import type { ScaleDataSourceOptions, ScaleQuery } from './types';

export const plugin = new DataSourcePlugin<ScaleDataSource, ScaleQuery, ScaleDataSourceOptions>(ScaleDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
