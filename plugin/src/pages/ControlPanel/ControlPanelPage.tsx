import React, { useCallback, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import { Stack } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import { EngineAlert } from '../../components/EngineAlert/EngineAlert';
import { TestPicker } from '../../components/TestPicker/TestPicker';
import { POLL_MS } from '../../constants';
import { useEngine } from '../../hooks/use-engine';
import { FaultsPanel } from './FaultsPanel';
import { TuningPanel } from './TuningPanel';

/** Failure injection on a running lab test, and the auto-tuner. */
export default function ControlPanelPage() {
  const [testId, setTestId] = useState<string>();
  const choose = useCallback((id: string) => setTestId(id), []);
  const running = useEngine(() => engine.live(), [], { pollMs: POLL_MS * 2 });
  const test = running.data?.tests.find((t) => t.id === testId);
  return (
    <PluginPage>
      <Stack direction="column" gap={3}>
        <TestPicker tests={running.data?.tests ?? []} value={testId} onChange={choose} />
        {running.error && <EngineAlert error={running.error} />}
        <FaultsPanel testId={testId} pods={test?.pods.map((p) => p.name) ?? []} />
        <TuningPanel testId={testId} />
      </Stack>
    </PluginPage>
  );
}
