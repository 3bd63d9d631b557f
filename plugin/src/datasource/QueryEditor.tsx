import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, Input, Stack } from '@grafana/ui';
import type { ScaleDataSource } from './datasource';
import type { QueryType, ScaleDataSourceOptions, ScaleQuery } from './types';

const TYPES: Array<{ value: QueryType; label: string; description: string }> = [
  { value: 'runs', label: 'Runs list', description: 'stored runs, newest first (table)' },
  { value: 'result', label: 'Run result', description: 'per-pod table and timeline of one run' },
  { value: 'live', label: 'Live distribution', description: 'per-pod shares of a running test, every second' },
  { value: 'balance', label: 'Balance timeline', description: 'score and utilisation balance per second' },
  { value: 'faults', label: 'Faults (annotations)', description: 'the faults of one run as time regions' },
];

/** Query type, test id (template variables allowed) and, for the runs list, filters. */
export function QueryEditor({
  query,
  onChange,
  onRunQuery,
}: QueryEditorProps<ScaleDataSource, ScaleQuery, ScaleDataSourceOptions>) {
  const type = query.queryType ?? 'runs';
  return (
    <Stack gap={1} wrap="wrap">
      <InlineField label="Query type" labelWidth={14}>
        <Combobox
          id={`qt-${query.refId}`}
          width={30}
          options={TYPES}
          value={type}
          onChange={(o) => {
            onChange({ ...query, queryType: o.value });
            onRunQuery();
          }}
        />
      </InlineField>
      {type === 'runs' ? (
        <>
          <InlineField label="Name" labelWidth={8}>
            <Input
              id={`qe-name-${query.refId}`}
              width={20}
              value={query.name ?? ''}
              onChange={(e) => onChange({ ...query, name: e.currentTarget.value })}
              onBlur={onRunQuery}
            />
          </InlineField>
          <InlineField label="Status" labelWidth={8}>
            <Input
              id={`qe-status-${query.refId}`}
              width={16}
              value={query.status ?? ''}
              placeholder="any"
              onChange={(e) => onChange({ ...query, status: e.currentTarget.value })}
              onBlur={onRunQuery}
            />
          </InlineField>
        </>
      ) : (
        <InlineField label="Test id" labelWidth={10} tooltip="a run id, or a template variable such as $test">
          <Input
            id={`qe-test-${query.refId}`}
            width={40}
            value={query.testId ?? ''}
            placeholder="$test"
            onChange={(e) => onChange({ ...query, testId: e.currentTarget.value })}
            onBlur={onRunQuery}
          />
        </InlineField>
      )}
    </Stack>
  );
}
