import { z } from 'zod';
import { AlertmanagerWebhookSchema } from '../../alerts/alertmanager-payload.js';
import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/** JSON Schema of an Alert (alerts/alert.ts) for the OpenAPI document. */
export const ALERT_SCHEMA = {
  type: 'object',
  required: ['fingerprint', 'name', 'status', 'labels', 'annotations', 'startsAt', 'receivedAt', 'updatedAt'],
  properties: {
    fingerprint: { type: 'string', description: "Alertmanager's fingerprint of the label set" },
    name: { type: 'string', description: 'the alertname label, e.g. ScaleImbalance' },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    labels: { ...stringMap, description: 'severity, test (`<spec name>/<run id prefix>`) and the rule’s other labels' },
    annotations: { ...stringMap, description: 'summary, description, runbook_url' },
    startsAt: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string', format: 'date-time', description: 'absent while firing' },
    generatorURL: { type: 'string' },
    receivedAt: { type: 'string', format: 'date-time', description: 'when the engine first received this episode' },
    updatedAt: { type: 'string', format: 'date-time', description: 'when the engine last received it' },
  },
};

const AlertsQuery = z.strictObject({
  status: z.enum(['firing', 'resolved']).optional(),
  test: z.string().min(1).max(300).optional(),
  name: z.string().min(1).max(256).optional(),
});

/** Alertmanager's webhook intake and the list of active and recently resolved alerts. */
export function alertRoutes(s: Services): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/api/alerts',
      summary: "Receive alerts: Alertmanager's webhook payload (version 4)",
      description:
        'Point an Alertmanager `webhook_configs` receiver here (provisioning/alertmanager/alertmanager.yml does). Alerts are kept in memory by fingerprint with their start and end; changes go out on the live stream as `alert` messages. Bounded: resolved alerts are listed for an hour, and when the store is full the oldest go first. The body is capped at MAX_BODY_BYTES (413 beyond).',
      tag: 'alerts',
      auth: 'engine',
      body: AlertmanagerWebhookSchema,
      responses: {
        200: {
          description: 'Applied',
          schema: {
            type: 'object',
            properties: {
              received: { type: 'integer' },
              firing: { type: 'integer', description: 'alerts that started (or fired again)' },
              resolved: { type: 'integer', description: 'alerts that resolved' },
              ignored: { type: 'integer', description: 'late firing notices of alerts already resolved' },
              evicted: { type: 'integer', description: 'alerts dropped to stay within bounds' },
            },
          },
        },
        413: { description: 'Body larger than MAX_BODY_BYTES' },
      },
      handler: ({ body }) => s.alerts.ingest(body.alerts),
    }),
    route({
      method: 'get',
      path: '/api/alerts',
      summary: 'Active and recently resolved alerts',
      description: 'Firing alerts first (newest start first), then resolved ones (newest end first).',
      tag: 'alerts',
      auth: 'engine',
      query: AlertsQuery,
      responses: {
        200: {
          description: 'Alerts',
          schema: {
            type: 'object',
            properties: {
              alerts: { type: 'array', items: ALERT_SCHEMA },
              firing: { type: 'integer' },
              resolved: { type: 'integer' },
              evicted: { type: 'integer', description: 'alerts dropped to stay within bounds since the engine started' },
            },
          },
        },
      },
      handler: ({ query }) => {
        const { firing, resolved, evicted } = s.alerts.stats();
        return { alerts: s.alerts.list(query), firing, resolved, evicted };
      },
    }),
  ];
}
