import React from 'react';
import { Alert } from '@grafana/ui';
import { describeError, type EngineError } from '../../api/engine-error';

interface Props {
  error: EngineError;
  /** Field paths already shown next to their fields; the rest are listed here. */
  shownPaths?: string[];
  onRemove?: () => void;
}

/** An engine error as a person reads it: what happened, what to do, every problem the engine listed. */
export function EngineAlert({ error, shownPaths = [], onRemove }: Props) {
  const { title, hint } = describeError(error);
  const rest = error.details.filter((d) => !shownPaths.includes(d.path));
  return (
    <Alert title={title} severity={error.status >= 500 || error.status === 0 ? 'error' : 'warning'} onRemove={onRemove}>
      <div role="status">{error.message}</div>
      {hint && <div>{hint}</div>}
      {rest.length > 0 && (
        <ul aria-label="Problems reported by the engine">
          {rest.map((d, i) => (
            <li key={i}>
              {d.path ? <code>{d.path}</code> : null} {d.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
