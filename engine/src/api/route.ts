import type { Request, Response } from 'express';
import type { z } from 'zod';

/**
 * One API route, declared once: express registers it and the OpenAPI document is generated
 * from the same declaration (api/openapi.ts), so the document cannot drift from the code.
 */
export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
}

export interface RouteResponse {
  description: string;
  /** A zod schema, or a JSON Schema object for shapes that are TypeScript types only. */
  schema?: z.ZodType | Record<string, unknown>;
  /** Content type when not JSON (CSV, text). */
  contentType?: string;
}

export interface RouteDef<B = unknown, Q = unknown, P = unknown> {
  method: 'get' | 'post' | 'delete';
  /** Express path ("/api/results/:id"); OpenAPI gets "{id}". */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** Who may call it: `engine` needs ENGINE_TOKEN, `metrics` METRICS_TOKEN, `public` nothing. */
  auth: 'engine' | 'metrics' | 'public';
  /** Validates the body and describes it in the OpenAPI document. */
  body?: z.ZodType<B>;
  /**
   * Replaces `body.parse` when one schema cannot tell the shapes apart well (a union whose
   * members are told apart by a field): validates the raw body and throws a ValidationError
   * with every problem of the shape it chose. `body` still documents the route.
   */
  parseBody?(raw: unknown): B;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /** Status of a successful answer (default 200). */
  status?: number;
  responses: Record<number, RouteResponse>;
  /** Returns the JSON body, or undefined after answering through `res` itself. */
  handler(ctx: RouteContext<B, Q, P>): unknown | Promise<unknown>;
}

/** Keeps the generic parameters when collecting routes of different shapes into one list. */
export function route<B, Q, P>(def: RouteDef<B, Q, P>): RouteDef {
  return def as unknown as RouteDef;
}
