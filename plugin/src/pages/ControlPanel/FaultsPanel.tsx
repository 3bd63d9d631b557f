import React, { useState } from 'react';
import { Button, Combobox, Field, FieldSet, Input, MultiCombobox, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import type { FaultRecord } from '../../api/types';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { DataTable } from '../../components/DataTable/DataTable';
import { getTableStyles } from '../../components/DataTable/table-styles';
import { FormRow } from '../../components/FormRow/FormRow';
import { POLL_MS } from '../../constants';
import { useAction, useEngine } from '../../hooks/use-engine';

/** The engine's fault types (chaos/fault.ts), with the original four first. */
export const FAULT_TYPES: Array<{ value: FaultRecord['type']; label: string; description: string }> = [
  { value: 'latency', label: 'Latency', description: 'adds a delay to a fraction of requests' },
  { value: 'errors', label: 'Error injection', description: 'answers a fraction with an error status' },
  { value: 'pod-failure', label: 'Pod failure', description: 'the pod stops (connections refused)' },
  { value: 'partition', label: 'Network partition', description: 'the balancer cannot reach the pod' },
  { value: 'connection-reset', label: 'Connection reset', description: 'resets connections on a fraction of requests' },
  { value: 'bandwidth', label: 'Bandwidth', description: 'slows responses to a byte rate' },
  { value: 'scale-up', label: 'Scale up', description: 'adds pods mid-run' },
  { value: 'scale-down', label: 'Scale down', description: 'removes pods mid-run' },
];

const SEVERITIES = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
] as const;

const describe = (f: FaultRecord) =>
  Object.entries(f.params)
    .filter(([, v]) => v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

/** Inject a fault (type, target pods, severity, duration) and list the active ones with Remove. */
export function FaultsPanel({ testId, pods }: { testId?: string; pods: string[] }) {
  const [type, setType] = useState<FaultRecord['type']>('latency');
  const [severity, setSeverity] = useState<'low' | 'medium' | 'high'>('medium');
  const [duration, setDuration] = useState('30');
  const [targets, setTargets] = useState<string[]>([]);
  const t = useStyles2(getTableStyles);
  const inject = useAction(engine.inject);
  const remove = useAction(engine.removeFault);
  const list = useEngine(() => engine.faults({ testId }), [testId], { pollMs: POLL_MS, enabled: Boolean(testId) });
  const active = (list.data?.faults ?? []).filter((f) => f.state === 'active');
  const recent = (list.data?.faults ?? []).filter((f) => f.state !== 'active').slice(-5);
  const err = (path: string) => {
    const m = inject.error?.details.filter((d) => d.path === path).map((d) => d.message) ?? [];
    return m.length ? { invalid: true, error: m.join('; ') } : {};
  };
  const onInject = async () => {
    if (!testId) {
      return;
    }
    const seconds = Number(duration);
    const r = await inject.run({
      testId,
      type,
      severity,
      duration: Number.isFinite(seconds) ? `${seconds}s` : duration,
      ...(targets.length ? { pods: targets } : {}),
    });
    if (r) {
      list.reload();
    }
  };
  return (
    <FieldSet label="Failure injection">
      <FormRow align="flex-end">
        <Field label="Failure type" {...err('type')}>
          <Combobox
            id="fault-type"
            width={30}
            options={FAULT_TYPES}
            value={type}
            onChange={(o) => o && setType(o.value)}
          />
        </Field>
        <Field label="Target pods" description="none chosen: the severity picks 1 pod, 20% or 50%" {...err('pods')}>
          <MultiCombobox
            id="fault-pods"
            width={36}
            options={pods.map((p) => ({ value: p, label: p }))}
            value={targets}
            onChange={(o) => setTargets(o.map((x) => x.value))}
            placeholder="by severity"
          />
        </Field>
        <Field label="Severity">
          <RadioButtonGroup
            aria-label="Severity"
            options={[...SEVERITIES]}
            value={severity}
            onChange={(v) => setSeverity(v)}
          />
        </Field>
        <Field label="Duration, seconds" {...err('duration')}>
          <Input id="fault-duration" width={10} value={duration} onChange={(e) => setDuration(e.currentTarget.value)} />
        </Field>
        <Button variant="destructive" icon="bolt" onClick={onInject} disabled={!testId || inject.pending}>
          Inject Failure
        </Button>
      </FormRow>
      {!testId && <p>Start a lab test first: faults act on a running lab test.</p>}
      {inject.error && (
        <EngineAlert error={inject.error} shownPaths={['type', 'pods', 'duration']} onRemove={inject.clearError} />
      )}
      {remove.error && <EngineAlert error={remove.error} onRemove={remove.clearError} />}
      {list.error && <EngineAlert error={list.error} />}
      <h4 className={t.heading}>Active faults</h4>
      {active.length === 0 ? (
        <p>None</p>
      ) : (
        <DataTable label="Active faults" columns={['type', 'severity', 'pods', 'parameters', 'until', '']}>
          {active.map((f) => (
            <tr key={f.id} data-testid={`fault-${f.type}`}>
              <td>{f.type}</td>
              <td>{f.severity}</td>
              <td>{f.pods.join(', ')}</td>
              <td>{describe(f)}</td>
              <td>{new Date(f.expiresAt).toLocaleTimeString()}</td>
              <td>
                <Button
                  size="sm"
                  variant="secondary"
                  icon="trash-alt"
                  aria-label={`Remove ${f.type} fault on ${f.pods.join(', ')}`}
                  onClick={async () => {
                    await remove.run(f.id);
                    list.reload();
                  }}
                >
                  Remove
                </Button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {recent.length > 0 && (
        <>
          <h5 className={t.heading}>Recently ended</h5>
          <ul aria-label="Recently ended faults">
            {recent.map((f) => (
              <li key={f.id}>
                {f.type} ({f.severity}) on {f.pods.join(', ') || '–'}: {f.endReason ?? f.state}
                {f.error ? ` (${f.error})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </FieldSet>
  );
}
