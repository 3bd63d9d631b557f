import React, { useEffect } from 'react';
import { Combobox, Field } from '@grafana/ui';
import type { LiveTick } from '../../api/types';

interface Props {
  tests: LiveTick[];
  value?: string;
  onChange: (id: string) => void;
  label?: string;
}

/** Chooses one of the running tests; picks the newest by itself when nothing is chosen yet. */
export function TestPicker({ tests, value, onChange, label = 'Running test' }: Props) {
  useEffect(() => {
    if (!value && tests.length > 0) {
      onChange(tests[tests.length - 1].id);
    }
  }, [value, tests, onChange]);
  const options = tests.map((t) => ({
    value: t.id,
    label: `${t.name} (${t.id.slice(0, 8)})`,
    description: `${Math.round(t.elapsed)} s of ${Math.round(t.expectedDuration)} s`,
  }));
  if (value && !options.some((o) => o.value === value)) {
    options.push({ value, label: `${value.slice(0, 8)} (not running)`, description: '' });
  }
  return (
    <Field label={label}>
      <Combobox
        id="test-picker"
        options={options}
        value={value ?? null}
        onChange={(o) => o && onChange(o.value)}
        placeholder="No test is running"
        width={50}
      />
    </Field>
  );
}
