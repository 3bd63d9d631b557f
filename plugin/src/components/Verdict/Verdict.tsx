import React from 'react';
import { Badge, type BadgeColor, type IconName } from '@grafana/ui';
import type { RunStatus, ThresholdResult, Verdict as VerdictName } from '../../api/types';

const VERDICT: Record<VerdictName, { color: BadgeColor; icon: IconName }> = {
  balanced: { color: 'green', icon: 'check' },
  imbalanced: { color: 'red', icon: 'exclamation-triangle' },
  'insufficient-data': { color: 'blue', icon: 'hourglass' },
  'no-data': { color: 'orange', icon: 'question-circle' },
};

/** The balance verdict as a badge (colour plus an icon and the word, never colour alone). */
export function Verdict({ verdict }: { verdict: VerdictName }) {
  const v = VERDICT[verdict] ?? { color: 'purple' as BadgeColor, icon: 'question-circle' as IconName };
  return <Badge text={verdict} color={v.color} icon={v.icon} />;
}

const STATUS: Record<RunStatus, BadgeColor> = {
  starting: 'blue',
  running: 'blue',
  finished: 'green',
  stopped: 'orange',
  failed: 'red',
  interrupted: 'orange',
};

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <Badge text={status} color={STATUS[status] ?? 'purple'} />;
}

/**
 * A threshold's number as its unit reads: p99 in ms or s (the engine sends seconds), the error
 * rate in %, the hottest pod's share over its expected share as 1.50×, scores as they are.
 */
function thresholdNumber(name: string, v: number): string {
  if (name === 'p99') {
    return ms(v);
  }
  if (name === 'errorRate') {
    return pct(v, 2);
  }
  if (name === 'maxShareRatio') {
    return `${v.toFixed(2)}×`;
  }
  return name === 'responses' ? String(v) : v.toFixed(4);
}
export const thresholdLimitText = (t: ThresholdResult) => thresholdNumber(t.name, t.limit);
export const thresholdValueText = (t: ThresholdResult) => (t.value === null ? '–' : thresholdNumber(t.name, t.value));

/** One badge per threshold: its name and pass or fail (icon and word, never colour alone); "–" before the run has an outcome. */
export function ThresholdBadges({ thresholds }: { thresholds?: ThresholdResult[] }) {
  if (!thresholds) {
    return <span aria-label="no outcome yet">–</span>;
  }
  if (thresholds.length === 0) {
    return <span>none</span>;
  }
  return (
    <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
      {thresholds.map((t) => (
        <Badge
          key={t.name}
          text={`${t.name} ${t.pass ? 'pass' : 'fail'}`}
          color={t.pass ? 'green' : 'red'}
          icon={t.pass ? 'check' : 'times'}
          tooltip={`${t.name}: ${thresholdValueText(t)} against ${thresholdLimitText(t)}`}
        />
      ))}
    </span>
  );
}

export const pct = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(digits)}%`;
export const ms = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined
    ? '–'
    : seconds >= 1
      ? `${seconds.toFixed(2)} s`
      : `${(seconds * 1000).toFixed(1)} ms`;
export const num = (v: number | null | undefined, digits = 4) =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
