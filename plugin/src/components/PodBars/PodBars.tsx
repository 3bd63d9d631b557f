import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { PodResult } from '../../api/types';
import { pct } from '../Verdict/Verdict';

/**
 * One bar per pod: its share of the window's requests, against a marker at its expected share.
 * A pod far above or below its marker is what an imbalance looks like. Each bar is also a
 * labelled meter, so screen readers get the numbers.
 */
export function PodBars({ pods, title = 'Share of requests per pod' }: { pods: PodResult[]; title?: string }) {
  const s = useStyles2(getStyles);
  const max = Math.max(0.0001, ...pods.map((p) => Math.max(p.share, p.expectedShare))) * 1.15;
  return (
    <figure className={s.figure} aria-label={title}>
      <figcaption className={s.caption}>{title}</figcaption>
      {pods.map((p) => {
        const off = p.expectedShare > 0 ? p.share / p.expectedShare : 0;
        const tone = !p.eligible ? s.down : off > 1.25 ? s.hot : off < 0.75 ? s.cold : s.even;
        return (
          <div key={p.name} className={s.row} data-testid={`pod-bar-${p.name}`}>
            <span className={s.name}>{p.name}</span>
            <div
              className={s.track}
              role="meter"
              aria-label={`${p.name} share`}
              aria-valuemin={0}
              aria-valuemax={1}
              aria-valuenow={p.share}
              aria-valuetext={`${pct(p.share)} of requests, expected ${pct(p.expectedShare)}`}
            >
              <div className={`${s.bar} ${tone}`} style={{ width: `${(p.share / max) * 100}%` }} />
              <div
                className={s.expected}
                style={{ left: `${(p.expectedShare / max) * 100}%` }}
                title={`expected ${pct(p.expectedShare)}`}
              />
            </div>
            <span className={s.value}>
              {pct(p.share)} <span className={s.weak}>/ {pct(p.expectedShare)}</span>
            </span>
            <span className={s.value}>{p.requests.toLocaleString()} req</span>
          </div>
        );
      })}
      <div className={s.legend}>
        <span className={`${s.swatch} ${s.even}`} /> share of requests <span className={s.marker} /> expected share
      </div>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({ margin: 0 }),
  caption: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(1) }),
  row: css({
    display: 'grid',
    gridTemplateColumns: '70px 1fr 120px 90px',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(0.5),
  }),
  name: css({ fontFamily: theme.typography.fontFamilyMonospace }),
  track: css({
    position: 'relative',
    height: 18,
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  bar: css({
    position: 'absolute',
    top: 0,
    bottom: 0,
    left: 0,
    borderRadius: theme.shape.radius.default,
    transition: 'width 300ms',
  }),
  even: css({ background: theme.colors.primary.main }),
  hot: css({ background: theme.colors.error.main }),
  cold: css({ background: theme.colors.warning.main }),
  down: css({ background: theme.colors.text.disabled }),
  expected: css({ position: 'absolute', top: -3, bottom: -3, width: 2, background: theme.colors.text.primary }),
  value: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums' }),
  weak: css({ color: theme.colors.text.secondary }),
  legend: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    marginTop: theme.spacing(1),
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  }),
  swatch: css({ display: 'inline-block', width: 12, height: 10 }),
  marker: css({
    display: 'inline-block',
    width: 2,
    height: 12,
    background: theme.colors.text.primary,
    marginLeft: theme.spacing(1),
  }),
});
