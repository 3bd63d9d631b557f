import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/**
 * The look of the plain data tables (per-pod results, thresholds, faults, rankings): ruled rows,
 * numbers that line up, cells that do not break mid-value; a narrow column scrolls sideways
 * inside `wrap` instead of squeezing the values.
 */
export const getTableStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ overflowX: 'auto', maxWidth: '100%' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    margin: theme.spacing(1, 0),
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      fontVariantNumeric: 'tabular-nums',
      whiteSpace: 'nowrap',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
  heading: css({ marginTop: theme.spacing(2) }),
});
