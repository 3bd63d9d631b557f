import React from 'react';
import { Badge, type BadgeColor, type IconName } from '@grafana/ui';
import type { RunStatus, Verdict as VerdictName } from '../../api/types';

const VERDICT: Record<VerdictName, { color: BadgeColor; icon: IconName }> = {
  balanced: { color: 'green', icon: 'check' },
  imbalanced: { color: 'red', icon: 'exclamation-triangle' },
  'insufficient-data': { color: 'blue', icon: 'hourglass' },
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

export const pct = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(digits)}%`);
export const ms = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? '–' : seconds >= 1 ? `${seconds.toFixed(2)} s` : `${(seconds * 1000).toFixed(1)} ms`);
export const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits));
