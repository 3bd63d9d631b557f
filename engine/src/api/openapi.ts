import { z } from 'zod';
import type { RouteDef } from './route.js';

/** JSON Schema of a zod schema as clients send it (defaults optional), for the OpenAPI document. */
function jsonSchema(schema: z.ZodType | Record<string, unknown>): Record<string, unknown> {
  if (!(schema instanceof z.ZodType)) return schema;
  const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

const ENVELOPE = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', example: 'invalid_input' },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
  },
};

/** Builds the OpenAPI 3.0 document from the route declarations. */
export function buildOpenApi(routes: readonly RouteDef[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const m of r.path.matchAll(/:([A-Za-z]+)/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'string' } });
    if (r.query) {
      const q = jsonSchema(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
    const responses: Record<string, unknown> = {};
    for (const [status, resp] of Object.entries(r.responses)) {
      responses[status] = {
        description: resp.description,
        ...(resp.schema ? { content: { [resp.contentType ?? 'application/json']: { schema: jsonSchema(resp.schema) } } } : {}),
      };
    }
    if (r.body || r.params || r.query) responses['400'] ??= { description: 'Invalid input: every problem listed', content: { 'application/json': { schema: ENVELOPE } } };
    if (r.auth !== 'public') responses['401'] ??= { description: 'Missing or wrong bearer token', content: { 'application/json': { schema: ENVELOPE } } };
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      responses,
      ...(r.auth === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Scale engine API',
      version: info.version,
      description:
        'Drive load tests against the embedded lab or a URL, read live balance and results. Errors use one envelope: `{ "error": { "code", "message", "details" } }`. Live updates: WebSocket `/ws/metrics` (a `snapshot` on connect, one `tick` per running test per second, `done`, `fault` and `alert` messages as they happen); when the engine has ENGINE_TOKEN, send it as `Authorization: Bearer <token>` or, from a browser (which cannot set headers on a WebSocket), as `/ws/metrics?access_token=<token>`. Alerts: point Alertmanager at `POST /api/alerts`. The open model of a TestSpec takes `stages` or the shorthand `rate` + `duration` (one constant stage); `POST /api/simulate` takes a TestSpec (a body with `target`) or a simulation spec.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { ErrorEnvelope: ENVELOPE },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
