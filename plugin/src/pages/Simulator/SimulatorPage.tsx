import React, { useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Badge, Button, Field, FieldSet, Input, RadioButtonGroup } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import type { CompareRow } from '../../api/types';
import { DataTable } from '../../components/DataTable/DataTable';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { FormRow } from '../../components/FormRow/FormRow';
import { ms, num, pct, Verdict } from '../../components/Verdict/Verdict';
import { useAction } from '../../hooks/use-engine';
import { MODE_OPTIONS } from '../../constants';

type RankBy = 'balance' | 'utilisation' | 'requests' | 'p99';

/** The what-if form's fields, as the simulation spec names them. */
interface WhatIf {
  pods: string;
  serviceTime: string;
  slowPod: string;
  slowSpeed: string;
  load: string;
  requests: string;
  mode: 'l7' | 'l4';
  rankBy: RankBy;
}

const numOr = (v: string) => (v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

export function simSpec(w: WhatIf): Record<string, unknown> {
  const slow = w.slowPod.trim();
  return {
    pods: numOr(w.pods),
    mode: w.mode,
    serviceTime: w.serviceTime.trim(),
    ...(slow ? { podBehaviour: [{ pods: [slow], speed: numOr(w.slowSpeed) }] } : {}),
    load: { model: 'open', load: numOr(w.load) },
    requests: numOr(w.requests),
    seed: 1,
  };
}

/** "What if": one workload simulated under every policy and ranked (the engine's compare). */
export default function SimulatorPage() {
  const [w, setW] = useState<WhatIf>({
    pods: '10',
    serviceTime: 'exp:10ms',
    slowPod: 'pod-3',
    slowSpeed: '0.2',
    load: '0.8',
    requests: '100000',
    mode: 'l7',
    rankBy: 'balance',
  });
  const [rows, setRows] = useState<CompareRow[]>();
  const compare = useAction(engine.compare);
  const set = (k: keyof WhatIf) => (e: React.FormEvent<HTMLInputElement>) => setW({ ...w, [k]: e.currentTarget.value });
  const err = (...paths: string[]) => {
    const m =
      compare.error?.details
        .filter((d) => paths.some((p) => d.path === `spec.${p}` || d.path.startsWith(`spec.${p}.`)))
        .map((d) => d.message) ?? [];
    return m.length ? { invalid: true, error: m.join('; ') } : {};
  };
  const run = async () => {
    const r = await compare.run(simSpec(w), w.rankBy);
    if (r) {
      setRows(r.rows);
    }
  };
  return (
    <PluginPage>
      <FieldSet label="What if">
        <FormRow>
          <Field label="Pods" {...err('pods')}>
            <Input id="sim-pods" width={10} value={w.pods} onChange={set('pods')} />
          </Field>
          <Field label="Service time" description="e.g. exp:10ms, lognormal:20ms,0.5" {...err('serviceTime')}>
            <Input id="sim-service-time" width={20} value={w.serviceTime} onChange={set('serviceTime')} />
          </Field>
          <Field label="Slow pod" description="empty: all pods alike" {...err('podBehaviour.0.pods')}>
            <Input id="sim-slow-pod" width={12} value={w.slowPod} onChange={set('slowPod')} />
          </Field>
          <Field label="Its relative speed" description="0.2 = five times slower" {...err('podBehaviour.0.speed')}>
            <Input id="sim-slow-speed" width={10} value={w.slowSpeed} onChange={set('slowSpeed')} />
          </Field>
          <Field label="Load" description="fraction of total capacity" {...err('load')}>
            <Input id="sim-load" width={10} value={w.load} onChange={set('load')} />
          </Field>
          <Field label="Requests" {...err('requests')}>
            <Input id="sim-requests" width={14} value={w.requests} onChange={set('requests')} />
          </Field>
        </FormRow>
        <FormRow align="flex-end">
          <Field label="Mode">
            <RadioButtonGroup
              aria-label="Mode"
              options={[...MODE_OPTIONS]}
              value={w.mode}
              onChange={(v) => setW({ ...w, mode: v as WhatIf['mode'] })}
            />
          </Field>
          <Field label="Rank by">
            <RadioButtonGroup
              aria-label="Rank by"
              options={[
                { value: 'balance', label: 'Balance' },
                { value: 'utilisation', label: 'Utilisation balance' },
                { value: 'requests', label: 'Request balance' },
                { value: 'p99', label: 'p99' },
              ]}
              value={w.rankBy}
              onChange={(v) => setW({ ...w, rankBy: v as RankBy })}
            />
          </Field>
          <Button icon={compare.pending ? 'spinner' : 'calculator-alt'} onClick={run} disabled={compare.pending}>
            Compare policies
          </Button>
        </FormRow>
      </FieldSet>
      {compare.error && (
        <EngineAlert
          error={compare.error}
          shownPaths={compare.error.details.filter((d) => d.path.startsWith('spec.')).map((d) => d.path)}
          onRemove={compare.clearError}
        />
      )}
      {rows && (
        <DataTable
          label="Policies ranked"
          columns={[
            'rank',
            'policy',
            'score',
            'verdict',
            'utilisation',
            'p50',
            'p99',
            'errors',
            'thresholds',
            'within limits',
          ]}
        >
          {rows.map((r) => (
            <tr key={r.label}>
              <td>{r.rank}</td>
              <td>{r.label}</td>
              <td>{num(r.score)}</td>
              <td>
                <Verdict verdict={r.verdict} />
              </td>
              <td>{num(r.utilisation)}</td>
              <td>{ms(r.p50)}</td>
              <td>{ms(r.p99)}</td>
              <td>{pct(r.errorRate, 2)}</td>
              <td>
                {r.pass ? (
                  <Badge text="pass" color="green" icon="check" />
                ) : (
                  <Badge text="fail" color="red" icon="times" />
                )}
              </td>
              <td>{r.feasible === false ? `no: ${(r.violations ?? []).join(', ')}` : 'yes'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </PluginPage>
  );
}
