import React, { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  /** A theme visualization colour name (green, blue, ...) or a CSS colour. */
  color?: string;
}

interface Props {
  title: string;
  /** Seconds since the run started. */
  x: number[];
  series: ChartSeries[];
  /** Formats y values (axis and the screen-reader summary). */
  format?: (v: number) => string;
  yRange?: [number, number];
  /** A horizontal reference line, e.g. the 0.95 balance threshold. */
  line?: { value: number; label: string };
  height?: number;
}

/**
 * A time chart drawn by uPlot (the chart library Grafana itself uses), coloured from the
 * Grafana theme. The figure carries a text summary of the latest values for screen readers.
 */
export function TimeChart({ title, x, series, format = (v) => v.toFixed(2), yRange, line, height = 180 }: Props) {
  const theme = useTheme2();
  const s = useStyles2(getStyles);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot>();
  const [width, setWidth] = useState(0);

  useEffect(() => {
    const el = box.current;
    if (!el) {
      return () => undefined;
    }
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') {
      return () => undefined;
    }
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const key = series.map((x) => x.label).join('|');
  useEffect(() => {
    const el = box.current;
    if (!el || width <= 0) {
      return () => undefined;
    }
    const axisColor = theme.colors.text.secondary;
    const grid = { stroke: theme.colors.border.weak, width: 1 };
    const opts: uPlot.Options = {
      width,
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: yRange ? { range: yRange } : { auto: true } },
      axes: [
        { stroke: axisColor, grid, values: (_u, vals) => vals.map((v) => `${v}s`) },
        { stroke: axisColor, grid, size: 60, values: (_u, vals) => vals.map((v) => format(v)) },
      ],
      series: [
        { label: 't' },
        ...series.map((ser) => ({
          label: ser.label,
          stroke: theme.visualization.getColorByName(ser.color ?? 'blue'),
          width: 2,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : format(v)),
        })),
      ],
      hooks: line
        ? {
            draw: [
              (u: uPlot) => {
                const y = u.valToPos(line.value, 'y', true);
                const ctx = u.ctx;
                ctx.save();
                ctx.strokeStyle = theme.colors.warning.main;
                ctx.setLineDash([6, 4]);
                ctx.lineWidth = 1.5;
                ctx.beginPath();
                ctx.moveTo(u.bbox.left, y);
                ctx.lineTo(u.bbox.left + u.bbox.width, y);
                ctx.stroke();
                ctx.fillStyle = theme.colors.warning.text;
                ctx.font = `${12 * devicePixelRatio}px ${theme.typography.fontFamily}`;
                ctx.textAlign = 'right';
                // Below the line: a run that passes keeps its series above it, clear of the label.
                ctx.textBaseline = 'top';
                ctx.fillText(line.label, u.bbox.left + u.bbox.width - 4, y + 4 * devicePixelRatio);
                ctx.restore();
              },
            ],
          }
        : undefined,
    };
    plot.current?.destroy();
    plot.current = new uPlot(opts, [x, ...series.map((ser) => ser.values)] as uPlot.AlignedData, el);
    return () => {
      plot.current?.destroy();
      plot.current = undefined;
    };
    // Rebuilt when the shape changes; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [width, height, key, theme, line?.value]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((ser) => ser.values)] as uPlot.AlignedData);
  }, [x, series]);

  const latest = series.map((ser) => {
    const v = ser.values[ser.values.length - 1];
    return `${ser.label} ${v === null || v === undefined ? 'no data' : format(v)}`;
  });
  return (
    <figure className={s.figure} aria-label={`${title}: ${x.length ? latest.join(', ') : 'no data yet'}`}>
      <figcaption className={s.caption}>{title}</figcaption>
      <div ref={box} className={s.plot} style={{ minHeight: height }} />
      {x.length === 0 && <div className={s.empty}>No data yet</div>}
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({ margin: 0, position: 'relative', minWidth: 0 }),
  caption: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) }),
  plot: css({
    width: '100%',
    '.u-legend': { color: theme.colors.text.primary, fontSize: theme.typography.bodySmall.fontSize },
  }),
  empty: css({
    position: 'absolute',
    top: '45%',
    width: '100%',
    textAlign: 'center',
    color: theme.colors.text.secondary,
  }),
});
