import React, { useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Button,
  Combobox,
  Field,
  FieldSet,
  Input,
  RadioButtonGroup,
  Slider,
  Stack,
  Switch,
  TextArea,
  useStyles2,
} from '@grafana/ui';
import { engine } from '../../api/engine-client';
import type { GeneratedScenario } from '../../api/types';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { FormRow } from '../../components/FormRow/FormRow';
import { MODE_OPTIONS, prefixRoute, ROUTES } from '../../constants';
import { useAction, useEngine } from '../../hooks/use-engine';
import { DEFAULT_FORM, fromSpec, issuesFor, POLICIES, shownPaths, toSpec, UI_LIMITS, type LoadForm } from './load-form';

/** The threshold inputs, in the order the form shows them; each edits the form field of its key. */
const THRESHOLD_FIELDS = [
  { key: 'balance', id: 'threshold-balance', label: 'Balance score', description: 'verdict threshold (Jain index)' },
  {
    key: 'maxShareRatio',
    id: 'threshold-max-share-ratio',
    label: 'Max share ratio',
    description: 'hottest pod over its expected share, e.g. 1.5; empty: none',
  },
  { key: 'p99', id: 'threshold-p99', label: 'p99 latency', description: 'e.g. 500ms; empty: none' },
  { key: 'errorRate', id: 'threshold-error-rate', label: 'Error rate', description: '0..1; empty: none' },
] as const satisfies ReadonlyArray<{ key: keyof LoadForm; id: string; label: string; description: string }>;

/**
 * Configure and start a load test: target, scenario (library or generated), users, spawn rate,
 * duration, model, thresholds. The engine validates; its messages appear next to the fields.
 */
export default function LoadTestPage() {
  const s = useStyles2(getStyles);
  const navigate = useNavigate();
  const [form, setForm] = useState<LoadForm>(DEFAULT_FORM);
  const [scenario, setScenario] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [generated, setGenerated] = useState<GeneratedScenario>();
  const [started, setStarted] = useState<string>();
  const scenarios = useEngine(() => engine.scenarios(), []);
  const set = useCallback(<K extends keyof LoadForm>(k: K, v: LoadForm[K]) => setForm((f) => ({ ...f, [k]: v })), []);

  const start = useAction(engine.startTest);
  const stop = useAction(engine.stopTest);
  const apply = useAction(engine.scenarioSpec);
  const generate = useAction(engine.generate);

  const issues = start.error?.details ?? [];
  const err = (field: string) => {
    const m = issuesFor(field, issues);
    return m.length ? { invalid: true, error: m.join('; ') } : {};
  };

  const onStart = async () => {
    const r = await start.run(toSpec(form));
    if (r) {
      setStarted(r.id);
      navigate(`${prefixRoute(ROUTES.Live)}?test=${encodeURIComponent(r.id)}`);
    }
  };
  const onApply = async () => {
    if (!scenario) {
      return;
    }
    const target = toSpec(form).target;
    const r = await apply.run(scenario, { target });
    if (r) {
      setGenerated(undefined);
      setForm((f) => fromSpec(r.spec, f));
    }
  };
  const onGenerate = async () => {
    const r = await generate.run(scenario ?? 'high-traffic', toSpec(form).target, description || undefined);
    if (r) {
      setGenerated(r);
      setForm((f) => fromSpec(r.spec, f));
    }
  };

  const scenarioOptions = useMemo(
    () => (scenarios.data?.scenarios ?? []).map((x) => ({ value: x.name, label: x.title, description: x.description })),
    [scenarios.data]
  );
  const chosen = scenarios.data?.scenarios.find((x) => x.name === scenario);

  return (
    <PluginPage>
      <div className={s.page}>
        {start.error && <EngineAlert error={start.error} shownPaths={shownPaths(issues)} onRemove={start.clearError} />}
        {scenarios.error && <EngineAlert error={scenarios.error} />}

        <FieldSet label="Target">
          <Field label="Target kind">
            <RadioButtonGroup
              aria-label="Target kind"
              options={[
                { value: 'lab', label: 'Embedded lab' },
                { value: 'url', label: 'URL' },
              ]}
              value={form.targetKind}
              onChange={(v) => set('targetKind', v as LoadForm['targetKind'])}
            />
          </Field>
          {form.targetKind === 'lab' ? (
            <FormRow>
              <Field label="Pods" description="lab pods behind the balancer" {...err('pods')}>
                <Input
                  id="pods"
                  type="number"
                  width={12}
                  min={UI_LIMITS.pods.min}
                  max={UI_LIMITS.pods.max}
                  value={form.pods}
                  onChange={(e) => set('pods', Number(e.currentTarget.value))}
                />
              </Field>
              <Field label="Policy" {...err('policy')}>
                <Combobox
                  id="policy"
                  width={30}
                  options={POLICIES.map((p) => ({ value: p, label: p }))}
                  value={form.policy}
                  onChange={(o) => o && set('policy', o.value)}
                />
              </Field>
              <Field label="Mode" description="L7 per request, L4 per connection (kube-proxy)" {...err('mode')}>
                <RadioButtonGroup
                  aria-label="Mode"
                  options={[...MODE_OPTIONS]}
                  value={form.mode}
                  onChange={(v) => set('mode', v as LoadForm['mode'])}
                />
              </Field>
            </FormRow>
          ) : (
            <FormRow>
              <Field
                label="Target URL"
                description="the endpoint to test (the engine's allow-list applies)"
                {...err('url')}
              >
                <Input
                  id="target-url"
                  width={50}
                  value={form.url}
                  onChange={(e) => set('url', e.currentTarget.value)}
                />
              </Field>
              <Field label="Pod header" description="response header naming the serving pod" {...err('podHeader')}>
                <Input
                  id="pod-header"
                  width={24}
                  value={form.podHeader}
                  onChange={(e) => set('podHeader', e.currentTarget.value)}
                />
              </Field>
            </FormRow>
          )}
          <FormRow>
            <Field label="Keep-alive" description="reuse client connections">
              <Switch
                id="keep-alive"
                value={form.keepAlive}
                onChange={(e) => set('keepAlive', e.currentTarget.checked)}
              />
            </Field>
            <Field label="Max connections" description="0 = engine default" {...err('maxConnections')}>
              <Input
                id="max-connections"
                type="number"
                width={12}
                min={0}
                value={form.maxConnections}
                onChange={(e) => set('maxConnections', Number(e.currentTarget.value))}
              />
            </Field>
          </FormRow>
        </FieldSet>

        <FieldSet label="Scenario">
          <FormRow align="flex-end">
            <Field label="Scenario type" description="pre-defined scenarios of the engine's library">
              <Combobox
                id="scenario"
                width={40}
                isClearable
                options={scenarioOptions}
                value={scenario}
                onChange={(o) => setScenario(o?.value ?? null)}
                placeholder={scenarios.loading ? 'Loading scenarios…' : 'Custom (the fields below)'}
              />
            </Field>
            <Button
              variant="secondary"
              onClick={onApply}
              disabled={!scenario || apply.pending}
              icon={apply.pending ? 'spinner' : 'file-alt'}
            >
              Apply scenario
            </Button>
          </FormRow>
          {chosen && (
            <p className={s.weak}>
              {chosen.description} Look for: {chosen.lookFor}
            </p>
          )}
          <FormRow align="flex-end">
            <Field label="Describe the traffic (for the LLM)" description="optional; the built-in generator ignores it">
              <TextArea
                id="llm-description"
                cols={60}
                rows={2}
                value={description}
                onChange={(e) => setDescription(e.currentTarget.value)}
              />
            </Field>
            <Button
              variant="secondary"
              onClick={onGenerate}
              disabled={generate.pending}
              icon={generate.pending ? 'spinner' : 'ai'}
            >
              Generate with LLM
            </Button>
          </FormRow>
          {apply.error && <EngineAlert error={apply.error} onRemove={apply.clearError} />}
          {generate.error && <EngineAlert error={generate.error} onRemove={generate.clearError} />}
          {generated && (
            <Alert
              severity="info"
              title={
                generated.source === 'llm'
                  ? `Generated by the LLM (${generated.model ?? 'model not reported'})`
                  : 'Generated by the built-in generator (no OPENAI_API_KEY on the engine)'
              }
              onRemove={() => setGenerated(undefined)}
            >
              <div>{generated.rationale}</div>
              {generated.adjustments.length > 0 ? (
                <ul aria-label="Values the engine clamped">
                  {generated.adjustments.map((a, i) => (
                    <li key={i}>
                      <code>{a.path}</code>: {JSON.stringify(a.from)} →{' '}
                      {a.to === null ? 'removed' : JSON.stringify(a.to)} ({a.reason})
                    </li>
                  ))}
                </ul>
              ) : (
                <div>The engine clamped nothing.</div>
              )}
            </Alert>
          )}
        </FieldSet>

        <FieldSet label="Load">
          <Field label="Name" {...err('name')}>
            <Input id="test-name" width={40} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} />
          </Field>
          <Field label="Model" description="users (closed, Locust style) or an arrival rate (open, k6 style)">
            <RadioButtonGroup
              aria-label="Load model"
              options={[
                { value: 'closed', label: 'Users (closed)' },
                { value: 'open', label: 'Arrival rate (open)' },
              ]}
              value={form.model}
              onChange={(v) => set('model', v as LoadForm['model'])}
            />
          </Field>
          <div className={s.sliders}>
            {form.model === 'closed' ? (
              <>
                <Field label={`Concurrent users (${UI_LIMITS.users.min}–${UI_LIMITS.users.max})`} {...err('users')}>
                  <Slider
                    inputId="users"
                    ariaLabelForHandle="Concurrent users"
                    min={UI_LIMITS.users.min}
                    max={UI_LIMITS.users.max}
                    step={10}
                    value={form.users}
                    onChange={(v) => set('users', v)}
                  />
                </Field>
                <Field
                  label={`Spawn rate, users per second (${UI_LIMITS.spawnRate.min}–${UI_LIMITS.spawnRate.max})`}
                  {...err('spawnRate')}
                >
                  <Slider
                    inputId="spawn-rate"
                    ariaLabelForHandle="Spawn rate"
                    min={UI_LIMITS.spawnRate.min}
                    max={UI_LIMITS.spawnRate.max}
                    value={form.spawnRate}
                    onChange={(v) => set('spawnRate', v)}
                  />
                </Field>
              </>
            ) : form.stages ? (
              <Field label="Stages (from the scenario)" {...err('rate')}>
                <Stack gap={1} alignItems="center">
                  <span data-testid="stages">
                    {form.stages.map((st) => `${st.ramp ? 'ramp to ' : ''}${st.rate}/s for ${st.duration}`).join(' → ')}
                  </span>
                  <Button size="sm" variant="secondary" onClick={() => set('stages', null)}>
                    Use one rate instead
                  </Button>
                </Stack>
              </Field>
            ) : (
              <Field label="Arrival rate, requests per second" {...err('rate')}>
                <Input
                  id="rate"
                  type="number"
                  width={16}
                  min={UI_LIMITS.rate.min}
                  value={form.rate}
                  onChange={(e) => set('rate', Number(e.currentTarget.value))}
                />
              </Field>
            )}
            {!(form.model === 'open' && form.stages) && (
              <Field
                label={`Duration, seconds (${UI_LIMITS.duration.min}–${UI_LIMITS.duration.max})`}
                {...err('duration')}
              >
                <Slider
                  inputId="duration"
                  ariaLabelForHandle="Duration"
                  min={UI_LIMITS.duration.min}
                  max={UI_LIMITS.duration.max}
                  value={form.duration}
                  onChange={(v) => set('duration', v)}
                />
              </Field>
            )}
          </div>
        </FieldSet>

        <FieldSet label="Thresholds">
          <FormRow>
            {THRESHOLD_FIELDS.map((t) => (
              <Field key={t.key} label={t.label} description={t.description} {...err(t.key)}>
                <Input id={t.id} width={12} value={form[t.key]} onChange={(e) => set(t.key, e.currentTarget.value)} />
              </Field>
            ))}
          </FormRow>
        </FieldSet>

        <Stack gap={2}>
          <Button onClick={onStart} disabled={start.pending} icon={start.pending ? 'spinner' : 'play'}>
            Start Test
          </Button>
          {started && (
            <Button variant="destructive" onClick={() => stop.run(started)} disabled={stop.pending} icon="square-shape">
              Stop
            </Button>
          )}
        </Stack>
        {stop.error && <EngineAlert error={stop.error} onRemove={stop.clearError} />}
      </div>
    </PluginPage>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 1100 }),
  weak: css({ color: theme.colors.text.secondary }),
  sliders: css({ maxWidth: 640 }),
});
