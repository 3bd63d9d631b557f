import React, { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, EmptyState, LoadingPlaceholder, Stack, useStyles2 } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import type { TimelinePoint } from '../../api/types';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { FormRow } from '../../components/FormRow/FormRow';
import { PodBars } from '../../components/PodBars/PodBars';
import { TestPicker } from '../../components/TestPicker/TestPicker';
import { BalanceCharts } from '../../components/TimeChart/BalanceCharts';
import { ms, num, pct, RunStatusBadge, Verdict } from '../../components/Verdict/Verdict';
import { POLL_MS, prefixRoute, ROUTES } from '../../constants';
import { useAction, useEngine } from '../../hooks/use-engine';
import { addWindows } from './live-history';
import { describeAlert, firingFor } from './live-alerts';

const LIVE = new Set(['starting', 'running']);

/**
 * A running test, refreshed every second by polling GET /api/load-test/status/{id} through the
 * proxy (Grafana's plugin proxy does not carry WebSockets): per-pod bars against the expected
 * share, the balance score with its threshold line, requests/s, p50/p99, errors, active faults,
 * the imbalance banner and active alerts.
 */
export default function LivePage() {
  const s = useStyles2(getStyles);
  const [params, setParams] = useSearchParams();
  const id = params.get('test') ?? undefined;
  const choose = useCallback((v: string) => setParams({ test: v }, { replace: true }), [setParams]);
  const [history, setHistory] = useState<{ id?: string; points: TimelinePoint[] }>({ points: [] });
  const keep = useCallback(
    (forId: string, points: TimelinePoint[]) =>
      setHistory((h) => ({ id: forId, points: addWindows(h.id === forId ? h.points : [], points) })),
    []
  );

  const running = useEngine(() => engine.live(), [], { pollMs: POLL_MS * 2 });
  const [ended, setEnded] = useState<string>();
  const status = useEngine(
    async () => {
      const answer = await engine.status(id!);
      if (answer.window) {
        keep(answer.id, [answer.window]);
      }
      if (!LIVE.has(answer.status)) {
        setEnded(answer.id);
      }
      return answer;
    },
    [id],
    { pollMs: POLL_MS, enabled: Boolean(id) && ended !== id }
  );
  const faults = useEngine(() => engine.faults({ testId: id, state: 'active' }), [id], {
    pollMs: POLL_MS,
    enabled: Boolean(id) && ended !== id,
  });
  const alerts = useEngine(() => engine.alerts('firing'), [], { pollMs: POLL_MS * 2 });
  const stop = useAction(engine.stopTest);

  // A page opened mid-run starts its charts from what the engine already has.
  useEffect(() => {
    if (!id) {
      return () => undefined;
    }
    let live = true;
    engine.result(id).then(
      (r) => live && keep(id, r.timeline),
      () => undefined
    );
    return () => {
      live = false;
    };
  }, [id, keep]);

  const st = status.data?.id === id ? status.data : undefined;
  const points = history.id === id ? history.points : [];
  const firing = firingFor(alerts.data ?? [], id);
  const w = st?.window;
  // A second too thin to judge is judged with the seconds before it (as the imbalance alert is).
  const pooled = w?.verdict === 'insufficient-data' && st?.recent && st.recent.windows > 1 ? st.recent : undefined;
  const imbalanced =
    w?.verdict === 'imbalanced' || pooled?.verdict === 'imbalanced' || st?.balance?.verdict === 'imbalanced';

  return (
    <PluginPage>
      <Stack direction="column" gap={2}>
        <FormRow align="flex-end">
          <TestPicker tests={running.data?.tests ?? []} value={id} onChange={choose} />
          {st && LIVE.has(st.status) && (
            <Button variant="destructive" icon="square-shape" onClick={() => stop.run(st.id)} disabled={stop.pending}>
              Stop
            </Button>
          )}
          {st && !LIVE.has(st.status) && <Link to={`${prefixRoute(ROUTES.Results)}/${st.id}`}>Open the result</Link>}
        </FormRow>
        {running.error && <EngineAlert error={running.error} />}
        {stop.error && <EngineAlert error={stop.error} onRemove={stop.clearError} />}
        {!id && !running.loading && !running.error && (
          <EmptyState variant="call-to-action" message="No test is running">
            Start one on the <Link to={prefixRoute(ROUTES.LoadTest)}>Load test</Link> page.
          </EmptyState>
        )}
        {id && status.error && <EngineAlert error={status.error} />}
        {id && status.loading && !st && <LoadingPlaceholder text="Waiting for the first window…" />}

        {firing.map((a) => {
          const d = describeAlert(a);
          return (
            <Alert key={a.fingerprint} severity={d.severity} title={d.title} data-testid="live-alert">
              {d.text} <span className={s.weak}>since {new Date(a.startsAt).toLocaleTimeString()}</span>
              {d.runbook && (
                <>
                  {' '}
                  <a href={d.runbook} target="_blank" rel="noreferrer">
                    Runbook
                  </a>
                </>
              )}
            </Alert>
          );
        })}

        {st && (
          <>
            <div
              className={imbalanced ? `${s.banner} ${s.bad}` : s.banner}
              role="status"
              aria-live="polite"
              data-testid="live-banner"
            >
              <RunStatusBadge status={st.status} />
              <span>
                {Math.round(st.elapsed)} s of {Math.round(st.expectedDuration)} s
              </span>
              <span>
                last second: {w ? <Verdict verdict={w.verdict} /> : '–'} score <strong>{num(w?.score)}</strong>
                {pooled && (
                  <>
                    {' '}
                    (last {pooled.windows} s: <Verdict verdict={pooled.verdict} />)
                  </>
                )}
              </span>
              <span>
                whole run: {st.balance ? <Verdict verdict={st.balance.verdict} /> : '–'} score{' '}
                <strong>{num(st.balance?.score)}</strong>
                {st.balance?.basis ? ` (${st.balance.basis})` : ''}
              </span>
              <span>
                {st.totals.requests.toLocaleString()} requests, {st.totals.errors.toLocaleString()} errors
              </span>
              <span data-testid="live-updates">updates: {status.updates}</span>
            </div>
            {st.error && (
              <Alert severity="error" title="The test failed">
                {st.error.message}
              </Alert>
            )}
            <div className={s.top}>
              <div>
                {st.pods && st.pods.length > 0 ? (
                  <PodBars
                    pods={st.pods}
                    title={LIVE.has(st.status) ? 'Share of the last second per pod' : 'Share of the whole run per pod'}
                  />
                ) : (
                  <p>No pod has answered yet.</p>
                )}
              </div>
              <div>
                <h4>Now</h4>
                <dl className={s.dl}>
                  <dt>req/s</dt>
                  <dd>{w ? w.rps.toFixed(0) : '–'}</dd>
                  <dt>p50 / p99</dt>
                  <dd>
                    {ms(w?.latency.p50)} / {ms(w?.latency.p99)}
                  </dd>
                  <dt>errors (last s)</dt>
                  <dd>{w?.errors ?? '–'}</dd>
                  <dt>utilisation balance</dt>
                  <dd>{num(w?.utilisation)}</dd>
                  <dt>in flight / users</dt>
                  <dd>
                    {w?.inflight ?? '–'} / {w?.users ?? '–'}
                  </dd>
                  <dt>progress</dt>
                  <dd>{pct(st.progress, 0)}</dd>
                </dl>
                <h4 className={s.heading}>Active faults</h4>
                {faults.error && <EngineAlert error={faults.error} />}
                {(faults.data?.faults ?? []).length === 0 ? (
                  <p className={s.weak}>None</p>
                ) : (
                  <ul aria-label="Active faults">
                    {faults.data!.faults.map((f) => (
                      <li key={f.id}>
                        {f.type} ({f.severity}) on {f.pods.join(', ')} until{' '}
                        {new Date(f.expiresAt).toLocaleTimeString()}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
            <BalanceCharts timeline={points} />
          </>
        )}
      </Stack>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  banner: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'center',
    padding: theme.spacing(1, 2),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  bad: css({ borderColor: theme.colors.error.border, background: theme.colors.error.transparent }),
  top: css({ display: 'grid', gridTemplateColumns: 'minmax(420px, 2fr) minmax(260px, 1fr)', gap: theme.spacing(3) }),
  dl: css({
    display: 'grid',
    gridTemplateColumns: 'auto 1fr',
    gap: theme.spacing(0.5, 2),
    dd: { margin: 0, fontVariantNumeric: 'tabular-nums' },
  }),
  weak: css({ color: theme.colors.text.secondary }),
  heading: css({ marginTop: theme.spacing(2) }),
});
