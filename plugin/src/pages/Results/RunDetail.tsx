import React from 'react';
import { Link, useParams } from 'react-router-dom';
import { config } from '@grafana/runtime';
import { LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { PodBars } from '../../components/PodBars/PodBars';
import { BalanceCharts } from '../../components/TimeChart/BalanceCharts';
import { POLL_MS, prefixRoute, ROUTES } from '../../constants';
import { useEngine } from '../../hooks/use-engine';
import { PodTable, RunSummary } from './RunSummary';

/** Where a browser download goes: Grafana's proxy under its sub-path (the token stays on the server). */
export const downloadUrl = (path: string) => `${config.appSubUrl ?? ''}/${engine.url(path)}`;

/** One run: summary, thresholds, timeline charts, per-pod bars and table, faults, CSV/JSON downloads. */
export function RunDetail() {
  const { id = '' } = useParams();
  const r = useEngine(() => engine.result(id), [id], { pollMs: POLL_MS * 2 });
  const data = r.data;
  const json = data ? `data:application/json;charset=utf-8,${encodeURIComponent(JSON.stringify(data, null, 2))}` : '';
  return (
    <Stack direction="column" gap={2}>
      <Link to={prefixRoute(ROUTES.Results)}>← All runs</Link>
      {r.error && <EngineAlert error={r.error} />}
      {r.loading && !data && <LoadingPlaceholder text="Loading the result…" />}
      {data && (
        <>
          <h2>
            {data.spec.name} <small>{data.id}</small>
          </h2>
          <Stack gap={1}>
            <LinkButton
              variant="secondary"
              icon="download-alt"
              href={downloadUrl(`/api/results/${encodeURIComponent(data.id)}?format=csv`)}
              download={`${data.id}.csv`}
            >
              CSV (timeline)
            </LinkButton>
            <LinkButton variant="secondary" icon="download-alt" href={json} download={`${data.id}.json`}>
              JSON (the Result)
            </LinkButton>
          </Stack>
          <RunSummary r={data} />
          <PodBars pods={data.pods} title="Share of the whole run per pod" />
          <PodTable r={data} />
          <BalanceCharts timeline={data.timeline} threshold={data.spec.thresholds?.balance ?? undefined} />
          {(data.faults ?? []).length > 0 && (
            <>
              <h4>Faults</h4>
              <ul aria-label="Faults of the run">
                {data.faults!.map((f) => (
                  <li key={f.id}>
                    {f.type} on {f.pods.join(', ')} from {f.startedAt.toFixed(1)} s to{' '}
                    {f.endedAt === null ? 'the end' : `${f.endedAt.toFixed(1)} s`}
                    {f.endReason ? ` (${f.endReason})` : ''}
                    {f.error ? `: ${f.error}` : ''}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Stack>
  );
}
