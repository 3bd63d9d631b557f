import React from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { LoadingPlaceholder, useStyles2 } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { PodBars } from '../../components/PodBars/PodBars';
import { BalanceCharts } from '../../components/TimeChart/BalanceCharts';
import { prefixRoute, ROUTES } from '../../constants';
import { useEngine } from '../../hooks/use-engine';
import { PodTable, RunSummary } from './RunSummary';

function Side({ id }: { id: string }) {
  const r = useEngine(() => engine.result(id), [id]);
  if (r.error) {
    return <EngineAlert error={r.error} />;
  }
  if (!r.data) {
    return <LoadingPlaceholder text="Loading…" />;
  }
  return (
    <section aria-label={`Run ${r.data.spec.name}`}>
      <h3>
        <Link to={`${prefixRoute(ROUTES.Results)}/${r.data.id}`}>{r.data.spec.name}</Link>{' '}
        <small>{r.data.id.slice(0, 8)}</small>
      </h3>
      <RunSummary r={r.data} />
      <PodBars pods={r.data.pods} />
      <PodTable r={r.data} />
      <BalanceCharts timeline={r.data.timeline} />
    </section>
  );
}

/** Two runs side by side (?a=ID&b=ID). */
export function CompareRuns() {
  const [params] = useSearchParams();
  const s = useStyles2(() => ({
    grid: css({
      display: 'grid',
      gridTemplateColumns: '1fr 1fr',
      gap: 24,
      marginTop: 16,
      '& > section': { minWidth: 0 },
    }),
  }));
  const a = params.get('a');
  const b = params.get('b');
  return (
    <div>
      <Link to={prefixRoute(ROUTES.Results)}>← All runs</Link>
      {!a || !b ? (
        <p>Pick two runs in the table to compare them.</p>
      ) : (
        <div className={s.grid}>
          <Side id={a} />
          <Side id={b} />
        </div>
      )}
    </div>
  );
}
