import { route, type RouteDef } from '../route.js';
import type { Services } from '../services.js';

/** Health, Prometheus exposition. (The OpenAPI document and /docs are mounted by app.ts.) */
export function systemRoutes(s: Services): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/health',
      summary: 'Liveness and a few numbers; never needs a token',
      tag: 'system',
      auth: 'public',
      responses: { 200: { description: 'Healthy', schema: { type: 'object', properties: { status: { type: 'string' }, version: { type: 'string' }, uptime: { type: 'number' }, runningTests: { type: 'integer' } } } } },
      handler: () => ({
        status: 'ok',
        version: s.version,
        uptime: Math.round((Date.now() - s.startedAt) / 1000),
        runningTests: s.runs.active().length,
      }),
    }),
    route({
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics (scale_*)',
      tag: 'system',
      auth: 'metrics',
      responses: { 200: { description: 'Text exposition format', contentType: 'text/plain', schema: { type: 'string' } } },
      handler: async ({ res }) => {
        res.type(s.metrics.contentType).send(await s.metrics.metricsText());
        return undefined;
      },
    }),
  ];
}
