import React, { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import {
  Button,
  Checkbox,
  Combobox,
  EmptyState,
  Field,
  InteractiveTable,
  Input,
  LoadingPlaceholder,
  Stack,
  type Column,
} from '@grafana/ui';
import { engine } from '../../api/engine-client';
import type { ResultSummary, RunStatus } from '../../api/types';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { FormRow } from '../../components/FormRow/FormRow';
import { num, RunStatusBadge, ThresholdBadges, Verdict } from '../../components/Verdict/Verdict';
import { POLL_MS, prefixRoute, ROUTES } from '../../constants';
import { useEngine } from '../../hooks/use-engine';

const PAGE = 50;
const STATUSES: RunStatus[] = ['running', 'finished', 'stopped', 'failed', 'interrupted'];

/** Stored runs, newest first: filter by name and status (on the engine), sort any column, pick two to compare. */
export function RunsTable() {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<RunStatus | null>(null);
  const [offset, setOffset] = useState(0);
  const [picked, setPicked] = useState<string[]>([]);
  const page = useEngine(
    () => engine.results({ limit: PAGE, offset, name: name.trim() || undefined, status: status ?? undefined }),
    [name, status, offset],
    { pollMs: POLL_MS * 5 }
  );

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const columns = useMemo<Array<Column<ResultSummary>>>(
    () => [
      {
        id: 'pick',
        header: 'Compare',
        cell: ({ row }) => (
          <Checkbox
            aria-label={`compare ${row.original.name} ${row.original.id.slice(0, 8)}`}
            value={picked.includes(row.original.id)}
            onChange={() => toggle(row.original.id)}
          />
        ),
      },
      {
        id: 'name',
        header: 'Name',
        sortType: 'string',
        cell: ({ row }) => <Link to={`${prefixRoute(ROUTES.Results)}/${row.original.id}`}>{row.original.name}</Link>,
      },
      {
        id: 'status',
        header: 'Status',
        sortType: 'string',
        cell: ({ row }) => <RunStatusBadge status={row.original.status} />,
      },
      {
        id: 'verdict',
        header: 'Verdict',
        sortType: 'string',
        cell: ({ row }) => <Verdict verdict={row.original.verdict} />,
      },
      { id: 'score', header: 'Score', sortType: 'number', cell: ({ row }) => num(row.original.score) },
      {
        id: 'thresholds',
        header: 'Thresholds',
        cell: ({ row }) => <ThresholdBadges thresholds={row.original.thresholds} />,
      },
      {
        id: 'requests',
        header: 'Requests',
        sortType: 'number',
        cell: ({ row }) => row.original.requests.toLocaleString(),
      },
      { id: 'rps', header: 'req/s', sortType: 'number', cell: ({ row }) => row.original.rps.toFixed(0) },
      { id: 'errors', header: 'Errors', sortType: 'number', cell: ({ row }) => row.original.errors.toLocaleString() },
      {
        id: 'policy',
        header: 'Policy',
        sortType: 'string',
        cell: ({ row }) => row.original.policy ?? row.original.targetKind,
      },
      {
        id: 'startedAt',
        header: 'Started',
        sortType: 'string',
        cell: ({ row }) => new Date(row.original.startedAt).toLocaleString(),
      },
    ],
    [picked]
  );

  const items = page.data?.items ?? [];
  return (
    <Stack direction="column" gap={2}>
      <FormRow align="flex-end">
        <Field label="Name">
          <Input
            id="filter-name"
            width={30}
            value={name}
            placeholder="any"
            onChange={(e) => {
              setOffset(0);
              setName(e.currentTarget.value);
            }}
          />
        </Field>
        <Field label="Status">
          <Combobox
            id="filter-status"
            width={24}
            isClearable
            placeholder="any"
            options={STATUSES.map((v) => ({ value: v, label: v }))}
            value={status}
            onChange={(o) => {
              setOffset(0);
              setStatus((o?.value as RunStatus) ?? null);
            }}
          />
        </Field>
        <Button
          icon="columns"
          disabled={picked.length !== 2}
          onClick={() => navigate(`${prefixRoute(ROUTES.Results)}/compare?a=${picked[0]}&b=${picked[1]}`)}
        >
          Compare the two selected
        </Button>
      </FormRow>
      {page.error && <EngineAlert error={page.error} />}
      {page.loading && !page.data && <LoadingPlaceholder text="Loading results…" />}
      {page.data && items.length === 0 && (
        <EmptyState
          variant={name || status ? 'not-found' : 'call-to-action'}
          message={name || status ? 'No run matches these filters' : 'No runs yet'}
        />
      )}
      {items.length > 0 && <InteractiveTable columns={columns} data={items} getRowId={(r) => r.id} />}
      {page.data && page.data.total > PAGE && (
        <Stack gap={1} alignItems="center">
          <Button
            size="sm"
            variant="secondary"
            disabled={offset === 0}
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            Newer
          </Button>
          <span>
            {offset + 1}–{Math.min(offset + PAGE, page.data.total)} of {page.data.total}
          </span>
          <Button
            size="sm"
            variant="secondary"
            disabled={offset + PAGE >= page.data.total}
            onClick={() => setOffset(offset + PAGE)}
          >
            Older
          </Button>
        </Stack>
      )}
    </Stack>
  );
}
