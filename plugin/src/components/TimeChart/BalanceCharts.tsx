import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import type { TimelinePoint } from '../../api/types';
import { BALANCE_LINE } from '../../constants';
import { timelineColumns } from '../../pages/Live/live-history';
import { TimeChart } from './TimeChart';

/** The four timeline charts of a run: balance score (with the 0.95 line), requests/s, p50/p99, errors. */
export function BalanceCharts({
  timeline,
  threshold = BALANCE_LINE,
}: {
  timeline: TimelinePoint[];
  threshold?: number;
}) {
  const s = useStyles2(() => ({
    grid: css({ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(460px, 1fr))', gap: 16 }),
  }));
  const c = useMemo(() => timelineColumns(timeline), [timeline]);
  return (
    <div className={s.grid}>
      <TimeChart
        title="Balance score (Jain) per second"
        x={c.t}
        series={[
          { label: 'score', values: c.score, color: 'green' },
          { label: 'utilisation', values: c.utilisation, color: 'purple' },
        ]}
        yRange={[0, 1.05]}
        line={{ value: threshold, label: `threshold ${threshold}` }}
        format={(v) => v.toFixed(2)}
      />
      <TimeChart
        title="Requests per second"
        x={c.t}
        series={[{ label: 'req/s', values: c.rps, color: 'blue' }]}
        format={(v) => v.toFixed(0)}
      />
      <TimeChart
        title="Latency p50 / p99 (ms)"
        x={c.t}
        series={[
          { label: 'p50', values: c.p50, color: 'yellow' },
          { label: 'p99', values: c.p99, color: 'orange' },
        ]}
        format={(v) => `${v.toFixed(1)}`}
      />
      <TimeChart
        title="Errors per second"
        x={c.t}
        series={[{ label: 'errors', values: c.errors, color: 'red' }]}
        format={(v) => v.toFixed(0)}
      />
    </div>
  );
}
