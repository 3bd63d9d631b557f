import React from 'react';
import { Alert, Button, FieldSet, Stack, useStyles2 } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import type { DecisionRow, Score, Setting, TuningDecision } from '../../api/types';
import { DataTable } from '../../components/DataTable/DataTable';
import { getTableStyles } from '../../components/DataTable/table-styles';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { POLL_MS } from '../../constants';
import { useAction, useEngine } from '../../hooks/use-engine';

const setting = (s: Setting) =>
  `${s.policy}${
    Object.keys(s.policyOptions ?? {}).length
      ? `(${Object.entries(s.policyOptions)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(',')})`
      : ''
  } ${s.mode}${
    s.weights
      ? ` weights ${Object.entries(s.weights)
          .map(([pod, w]) => `${pod}=${w}`)
          .join(',')}`
      : ''
  }${s.requestsPerConnection ? ` recycle ${s.requestsPerConnection}` : ''}`;
const score = (x?: Score) =>
  x
    ? `balance ${x.balance.toFixed(3)} (${x.balanceKind}), p99 ${x.p99Ms.toFixed(1)} ms, errors ${(x.errorRate * 100).toFixed(2)}%`
    : '–';

function Decision({ d }: { d: TuningDecision }) {
  const row = (r: DecisionRow, label: string) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{setting(r.setting)}</td>
      <td>{score(r.predicted)}</td>
      <td>{score(r.measured)}</td>
    </tr>
  );
  return (
    <DataTable label="Current recommendation" columns={['', 'setting', 'predicted (simulated)', 'measured (live)']}>
      {row(d.current, 'current')}
      {row(d.winner, 'recommended')}
    </DataTable>
  );
}

/** The auto-tuner: on and off, its current recommendation (predicted vs measured), the history of changes. */
export function TuningPanel({ testId }: { testId?: string }) {
  const t = useStyles2(getTableStyles);
  const state = useEngine(() => engine.tuning(), [], { pollMs: POLL_MS * 2 });
  const enable = useAction(engine.enableTuning);
  const disable = useAction(engine.disableTuning);
  const st = state.data;
  const decisions = [...(st?.decisions ?? [])].reverse();
  const latest = decisions[0];
  return (
    <FieldSet label="Auto-tuning">
      <Stack gap={2} alignItems="center">
        {st?.enabled ? (
          <Button
            variant="secondary"
            icon="pause"
            onClick={async () => {
              await disable.run();
              state.reload();
            }}
            disabled={disable.pending}
          >
            Disable Auto-Tuning
          </Button>
        ) : (
          <Button
            icon="sync"
            onClick={async () => {
              await enable.run();
              state.reload();
            }}
            disabled={enable.pending || state.loading}
          >
            Enable Auto-Tuning
          </Button>
        )}
        <span role="status" data-testid="tuning-state">
          {st
            ? st.enabled
              ? `Auto-tuning is on for ${st.scope === 'all' ? 'every running lab test' : `test ${st.scope?.testId}`}; it re-tunes after ${st.windows} imbalanced seconds in a row (cool-down ${Math.round(st.cooldownMs / 1000)} s).`
              : 'Auto-tuning is off.'
            : ''}
        </span>
      </Stack>
      {(st?.applied ?? [])
        .filter((a) => !testId || a.testId === testId)
        .map((a) => (
          <Alert key={a.testId} severity="info" title={`Applied to ${a.testId.slice(0, 8)}`}>
            {setting(a.current)} (was {setting(a.original)}; disabling reverts it)
          </Alert>
        ))}
      {state.error && <EngineAlert error={state.error} />}
      {enable.error && <EngineAlert error={enable.error} onRemove={enable.clearError} />}
      {disable.error && <EngineAlert error={disable.error} onRemove={disable.clearError} />}
      <h4 className={t.heading}>Current recommendation</h4>
      {latest ? (
        <>
          <p>
            {latest.action}: {latest.note}
          </p>
          <Decision d={latest} />
        </>
      ) : (
        <p>No decision yet: the tuner decides after sustained imbalance on a running lab test.</p>
      )}
      <h4 className={t.heading}>History of changes</h4>
      {decisions.length === 0 ? (
        <p>None</p>
      ) : (
        <ul aria-label="Tuning history">
          {decisions.map((d) => (
            <li key={d.id}>
              {new Date(d.at).toLocaleTimeString()} {d.action} ({d.trigger})
              {d.testId ? ` on ${d.testId.slice(0, 8)}` : ''}: {setting(d.current.setting)} →{' '}
              {setting(d.winner.setting)}
            </li>
          ))}
        </ul>
      )}
    </FieldSet>
  );
}
