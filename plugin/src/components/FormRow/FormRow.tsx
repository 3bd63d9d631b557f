import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

/**
 * Form fields side by side, wrapping; fields keep their own width instead of shrinking under
 * each other. The row, not each field, keeps the space below, so a button aligned to the end
 * of the row sits level with the inputs.
 */
export function FormRow({
  children,
  align = 'flex-start',
}: {
  children: React.ReactNode;
  align?: 'flex-start' | 'flex-end' | 'center';
}) {
  const s = useStyles2(getStyles);
  return (
    <div className={s.row} style={{ alignItems: align }}>
      {children}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    '& > *': { flexShrink: 0, minWidth: 'max-content', marginBottom: 0 },
  }),
});
