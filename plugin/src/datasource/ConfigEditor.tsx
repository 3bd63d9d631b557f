import React from 'react';
import type { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { Field, Input, SecretInput } from '@grafana/ui';
import type { ScaleDataSourceOptions, ScaleSecureJsonData } from './types';

/** Engine URL (jsonData) and token (secureJsonData: Grafana's proxy adds it; browsers never see it). */
export function ConfigEditor({
  options,
  onOptionsChange,
}: DataSourcePluginOptionsEditorProps<ScaleDataSourceOptions, ScaleSecureJsonData>) {
  return (
    <>
      <Field label="Engine URL" description="where Grafana's server reaches `scale serve`">
        <Input
          id="ds-engine-url"
          width={60}
          value={options.jsonData.engineUrl ?? ''}
          placeholder="http://127.0.0.1:8000"
          onChange={(e) =>
            onOptionsChange({ ...options, jsonData: { ...options.jsonData, engineUrl: e.currentTarget.value.trim() } })
          }
        />
      </Field>
      <Field label="Engine token" description="the engine's ENGINE_TOKEN (empty when it runs without one)">
        <SecretInput
          id="ds-engine-token"
          width={60}
          isConfigured={Boolean(options.secureJsonFields?.engineToken)}
          value={options.secureJsonData?.engineToken ?? ''}
          onChange={(e) => onOptionsChange({ ...options, secureJsonData: { engineToken: e.currentTarget.value } })}
          onReset={() =>
            onOptionsChange({
              ...options,
              secureJsonFields: { ...options.secureJsonFields, engineToken: false },
              secureJsonData: { engineToken: '' },
            })
          }
        />
      </Field>
    </>
  );
}
