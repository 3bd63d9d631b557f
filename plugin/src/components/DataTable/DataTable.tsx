import React from 'react';
import { useStyles2 } from '@grafana/ui';
import { getTableStyles } from './table-styles';

/**
 * A plain data table (per-pod results, thresholds, faults, rankings, the tuner's recommendation):
 * its headings, and the rows a page gives as children. An empty heading leaves its cell blank.
 */
export function DataTable({
  label,
  columns,
  children,
}: {
  label: string;
  columns: string[];
  children: React.ReactNode;
}) {
  const t = useStyles2(getTableStyles);
  return (
    <div className={t.wrap}>
      <table className={t.table} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={`${i}-${c}`}>{c || null}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
