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

/**
 * The live stream is a WebSocket, which OpenAPI 3.0 cannot describe as such: it is listed as the
 * GET that upgrades, so that the document names every route the engine serves.
 */
const LIVE_SOCKET = {
  get: {
    summary: 'Live stream (WebSocket)',
    description:
      'Upgrade to a WebSocket (`ws://host:port/ws/metrics`). Messages are JSON with a `type`: `snapshot` on connect (`tests`: the running tests, `alerts`: the firing alerts), `tick` once a second per running test (`test`: the last window, per-pod numbers, score and verdict), `fault` and `event` (pod and worker events) as they happen, `alert` as an alert fires or resolves, and `done` when a test ends. Clients only listen. With ENGINE_TOKEN, send `Authorization: Bearer <token>`, or from a browser (which cannot set headers on a WebSocket) `?access_token=<token>`. A client with more than 1 MiB of messages waiting is dropped.',
    tags: ['live'],
    parameters: [{ name: 'access_token', in: 'query', required: false, description: 'the engine token, for clients that cannot send an Authorization header', schema: { type: 'string' } }],
    responses: {
      '101': { description: 'Switching Protocols: the WebSocket is open' },
      '401': { description: 'Missing or wrong token (the upgrade is refused)' },
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
  paths['/ws/metrics'] = LIVE_SOCKET;
  return {
    openapi: '3.0.3',
    info: {
      title: 'Scale engine API',
      version: info.version,
      description:
        'Drive load tests against the embedded lab, a URL or a Service in a Kubernetes cluster, read live balance and results. Errors use one envelope: `{ "error": { "code", "message", "details" } }`. Live updates: the WebSocket `/ws/metrics` (below). Alerts: point Alertmanager at `POST /api/alerts`. The open model of a TestSpec takes `stages` or the shorthand `rate` + `duration` (one constant stage); `POST /api/simulate` takes a TestSpec (a body with `target`) or a simulation spec.',
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
