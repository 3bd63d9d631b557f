import React, { useState } from 'react';
import { lastValueFrom } from 'rxjs';
import type { AppPluginMeta, PluginConfigPageProps, PluginMeta } from '@grafana/data';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack } from '@grafana/ui';
import { engine } from '../../api/engine-client';
import type { EngineError } from '../../api/engine-error';
import type { Health } from '../../api/types';
import { EngineAlert } from '../EngineAlert/EngineAlert';

/** What the app stores: the engine URL in jsonData; the token in secureJsonData (write-only, used by the proxy route). */
export interface AppSettings {
  engineUrl?: string;
}

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

/** The page reload after saving (a seam, as jsdom cannot navigate). */
export const browserPage = { reload: () => window.location.reload() };

/** Configuration: engine URL and token, and "Test connection" calling /health through the proxy. */
const AppConfig = ({ plugin }: AppConfigProps) => {
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [engineUrl, setEngineUrl] = useState(jsonData?.engineUrl ?? 'http://127.0.0.1:8000');
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(secureJsonFields?.engineToken));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [health, setHealth] = useState<Health>();
  const [testError, setTestError] = useState<EngineError>();
  const urlProblem = /^https?:\/\/[^\s/]+/.test(engineUrl.trim())
    ? undefined
    : 'an http:// or https:// URL, e.g. http://127.0.0.1:8000';

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    if (urlProblem) {
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${plugin.meta.id}/settings`,
          method: 'POST',
          data: {
            enabled: true,
            pinned: pinned ?? true,
            jsonData: { ...jsonData, engineUrl: engineUrl.trim().replace(/\/+$/, '') },
            // Sent only when typed: an untouched secret stays as Grafana stored it.
            secureJsonData: tokenSet ? undefined : { engineToken: token },
          } satisfies Partial<PluginMeta<AppSettings>> & { secureJsonData?: Record<string, string> },
        })
      );
      // Grafana loads plugin settings once per page; a reload makes the proxy route use the new ones.
      browserPage.reload();
    } catch (e) {
      setSaveError(String((e as { data?: { message?: string } })?.data?.message ?? e));
      setSaving(false);
    }
  };

  const test = async () => {
    setHealth(undefined);
    setTestError(undefined);
    try {
      setHealth(await engine.health());
      // /health needs no token; a data route tells whether the token is accepted.
      await engine.results({ limit: 1 });
    } catch (e) {
      setTestError(e as EngineError);
    }
  };

  return (
    <form onSubmit={save}>
      <FieldSet label="Scale engine">
        {!enabled && (
          <Alert severity="info" title="The app is not enabled yet">
            Saving enables it.
          </Alert>
        )}
        <Field
          label="Engine URL"
          description="where Grafana's server reaches `scale serve` (the browser never calls it directly)"
          invalid={Boolean(urlProblem)}
          error={urlProblem}
        >
          <Input id="engine-url" width={60} value={engineUrl} onChange={(e) => setEngineUrl(e.currentTarget.value)} />
        </Field>
        <Field
          label="Engine token"
          description="the engine's ENGINE_TOKEN; stored encrypted by Grafana and added by its proxy, never sent to browsers"
        >
          <SecretInput
            id="engine-token"
            width={60}
            value={token}
            isConfigured={tokenSet}
            placeholder="empty when the engine runs without ENGINE_TOKEN"
            onChange={(e) => setToken(e.currentTarget.value)}
            onReset={() => {
              setToken('');
              setTokenSet(false);
            }}
          />
        </Field>
        <Stack direction="column" gap={2}>
          <Stack gap={2}>
            <Button type="submit" disabled={saving || Boolean(urlProblem)}>
              Save settings
            </Button>
            <Button type="button" variant="secondary" icon="heart" onClick={test}>
              Test connection
            </Button>
          </Stack>
          {saveError && (
            <Alert severity="error" title="Could not save">
              {saveError}
            </Alert>
          )}
          {health && !testError && (
            <Alert severity="success" title="Connected">
              Scale engine {health.version}, up {health.uptime} s, {health.runningTests} test(s) running; the token is
              accepted.
            </Alert>
          )}
          {testError && <EngineAlert error={testError} />}
          <p>Test connection uses the saved settings (save first after a change).</p>
        </Stack>
      </FieldSet>
    </form>
  );
};

export default AppConfig;
