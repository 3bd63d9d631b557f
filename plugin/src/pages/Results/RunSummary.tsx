import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Badge, useStyles2 } from '@grafana/ui';
import type { Result } from '../../api/types';
import { DataTable } from '../../components/DataTable/DataTable';
import {
  ms,
  num,
  pct,
  RunStatusBadge,
  thresholdLimitText,
  thresholdValueText,
  Verdict,
} from '../../components/Verdict/Verdict';

/** A run's headline numbers and thresholds (the run detail and each side of a comparison). */
export function RunSummary({ r }: { r: Result }) {
  const s = useStyles2(getStyles);
  const target = r.spec.target;
  return (
    <div>
      <div className={s.head}>
        <RunStatusBadge status={r.status} /> <Verdict verdict={r.balance.verdict} />
        <span className={s.weak}>
          {target.kind === 'lab'
            ? `lab, ${target.pods} pods, ${target.policy} ${target.mode ?? ''}`
            : `${target.kind} ${target.url ?? ''}`}{' '}
          · {r.spec.load.model} load · {new Date(r.startedAt).toLocaleString()}
        </span>
      </div>
      {r.error && <p>Failed: {r.error.message}</p>}
      <dl className={s.dl}>
        <dt>balance score</dt>
        <dd>
          {num(r.balance.score)}
          {r.balance.basis ? (
            <span className={s.weak}>
              {' '}
              on {r.balance.basis === 'utilisation' ? 'pod work (busy time)' : 'requests'}
            </span>
          ) : null}
          {r.balance.reason ? <span className={s.weak}> ({r.balance.reason})</span> : null}
        </dd>
        {r.balance.basis === 'utilisation' && r.balance.requestScore !== undefined && (
          <>
            <dt>request score</dt>
            <dd>{num(r.balance.requestScore)}</dd>
          </>
        )}
        <dt>utilisation balance</dt>
        <dd>{num(r.balance.utilisation)}</dd>
        <dt>χ² p-value</dt>
        <dd>{r.balance.chiSquareP.toExponential(2)}</dd>
        <dt>CoV / max share÷expected</dt>
        <dd>
          {num(r.balance.cov, 3)} / {num(r.balance.maxMean, 3)}
        </dd>
        <dt>requests</dt>
        <dd>
          {r.totals.requests.toLocaleString()} ({r.totals.rps.toFixed(0)}/s over {r.duration.toFixed(1)} s)
        </dd>
        <dt>errors</dt>
        <dd>
          {r.totals.errors.toLocaleString()} ({pct(r.totals.errorRate, 2)})
        </dd>
        <dt>p50 / p99 / max</dt>
        <dd>
          {ms(r.latency.p50)} / {ms(r.latency.p99)} / {ms(r.latency.max)}
        </dd>
      </dl>
      <DataTable label="Thresholds" columns={['threshold', 'limit', 'value', 'result']}>
        {r.thresholds.map((th) => (
          <tr key={th.name}>
            <td>{th.name}</td>
            <td>{thresholdLimitText(th)}</td>
            <td>
              {thresholdValueText(th)}
              {th.pod ? <span className={s.weak}> ({th.pod})</span> : null}
            </td>
            <td>
              {th.pass ? (
                <Badge text="pass" color="green" icon="check" />
              ) : (
                <Badge text="fail" color="red" icon="times" />
              )}
              {th.reason ? <span className={s.weak}> {th.reason}</span> : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

/** The per-pod table of a run. */
export function PodTable({ r }: { r: Result }) {
  return (
    <DataTable
      label="Per-pod results"
      columns={['pod', 'requests', 'share', 'expected', 'errors', 'p50', 'p99', 'utilisation', 'eligible']}
    >
      {r.pods.map((p) => (
        <tr key={p.name}>
          <td>{p.name}</td>
          <td>{p.requests.toLocaleString()}</td>
          <td>{pct(p.share)}</td>
          <td>{pct(p.expectedShare)}</td>
          <td>{p.errors}</td>
          <td>{ms(p.latency.p50)}</td>
          <td>{ms(p.latency.p99)}</td>
          <td>{pct(p.utilisation)}</td>
          <td>{p.eligible ? 'yes' : 'no'}</td>
        </tr>
      ))}
    </DataTable>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  head: css({
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(1),
  }),
  weak: css({ color: theme.colors.text.secondary }),
  dl: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    gap: theme.spacing(0.5, 2),
    dd: { margin: 0, fontVariantNumeric: 'tabular-nums' },
  }),
});
