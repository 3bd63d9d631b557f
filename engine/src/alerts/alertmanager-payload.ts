import { z } from 'zod';

/**
 * Alertmanager's webhook payload (version 4, the only version Alertmanager has sent since 0.7;
 * https://prometheus.io/docs/alerting/latest/configuration/#webhook_config), validated at the
 * edge with every problem listed.
 *
 * Fields beyond these are dropped rather than refused (unlike a TestSpec): the payload is
 * Alertmanager's contract, not ours, and a newer Alertmanager adding a field must not make the
 * engine refuse its alerts.
 */

/** Alerts in one delivery at most; the provided alertmanager.yml sends at most 100 (`max_alerts`). */
export const MAX_ALERTS_PER_DELIVERY = 1000;
/** Labels (or annotations) of one alert at most. */
export const MAX_LABELS = 64;
const MAX_NAME = 256;
const MAX_LABEL_VALUE = 1024;
const MAX_ANNOTATION_VALUE = 8192;
const MAX_TEXT = 4096;

const timestamp = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp' });

function stringMap(maxValue: number) {
  return z
    .record(z.string().min(1).max(MAX_NAME), z.string().max(maxValue))
    .refine((m) => Object.keys(m).length <= MAX_LABELS, { message: `at most ${MAX_LABELS} entries` });
}

const labels = stringMap(MAX_LABEL_VALUE);
const annotations = stringMap(MAX_ANNOTATION_VALUE);
const status = z.enum(['firing', 'resolved']);

export const AlertmanagerAlertSchema = z.object({
  status,
  labels: labels.refine((l) => typeof l.alertname === 'string' && l.alertname.length > 0, { message: 'an alert needs an "alertname" label' }),
  annotations: annotations.default({}),
  startsAt: timestamp,
  /** Go's zero time (0001-01-01T00:00:00Z) while firing. */
  endsAt: timestamp,
  generatorURL: z.string().max(MAX_TEXT).optional(),
  fingerprint: z
    .string()
    .regex(/^[0-9a-f]{1,16}$/, 'expected up to 16 lower-case hex digits')
    .optional(),
});

export const AlertmanagerWebhookSchema = z.object({
  version: z.literal('4', { message: 'only version "4" of the Alertmanager webhook payload is understood' }),
  groupKey: z.string().max(MAX_TEXT),
  truncatedAlerts: z.int().min(0).optional(),
  status,
  receiver: z.string().max(MAX_NAME),
  groupLabels: labels,
  commonLabels: labels,
  commonAnnotations: annotations,
  externalURL: z.string().max(MAX_TEXT),
  alerts: z.array(AlertmanagerAlertSchema).min(1).max(MAX_ALERTS_PER_DELIVERY),
});

export type AlertmanagerWebhook = z.output<typeof AlertmanagerWebhookSchema>;
