import type { EngineAlert } from '../../api/types';
import { cleanText } from '../../api/engine-error';

/** Characters of the run id in an alert's `test` label (engine metrics/test-label.ts). */
const ID_CHARS = 8;

/**
 * The firing alerts that concern a run: those whose `test` label (`<spec name>/<id prefix>`)
 * names it, and those tied to no test (the engine itself down, say). Without a run, every firing one.
 */
export function firingFor(alerts: EngineAlert[], testId?: string): EngineAlert[] {
  const mine = testId ? `/${testId.slice(0, ID_CHARS)}` : undefined;
  return alerts.filter((a) => a.status === 'firing' && (!mine || !a.labels.test || a.labels.test.endsWith(mine)));
}

/** How an alert reads on the page: outside text kept plain and short. */
export function describeAlert(a: EngineAlert): {
  title: string;
  text: string;
  severity: 'error' | 'warning' | 'info';
  runbook?: string;
} {
  const sev = a.labels.severity;
  const runbook = a.annotations.runbook_url;
  return {
    title: cleanText(`${a.name || a.labels.alertname || 'Alert'} is firing${sev ? ` (${sev})` : ''}`, 200),
    text: cleanText(
      a.annotations.summary ??
        a.annotations.description ??
        Object.entries(a.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
    ),
    severity: sev === 'critical' ? 'error' : sev === 'info' ? 'info' : 'warning',
    ...(runbook && /^https?:\/\//.test(runbook) ? { runbook } : {}),
  };
}
