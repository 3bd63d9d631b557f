import { z } from 'zod';
import { formatSpecDuration } from '../core/duration.js';
import { ALWAYS, distributionString, durationString } from '../spec/fields.js';

/**
 * Scenario parameters are zod schemas built by the helpers below, so one declaration gives the
 * validation (every problem at once), the defaults, the ranges shown by `scale scenarios` and
 * `GET /api/scenarios`, and the TypeScript type `build()` receives.
 */

/** One parameter as listed to users (CLI table, API). */
export interface ParamInfo {
  name: string;
  type: 'number' | 'integer' | 'duration' | 'distribution' | 'enum';
  description: string;
  default: unknown;
  /** Numbers: the bounds; durations: the bounds as duration strings. */
  minimum?: number | string;
  maximum?: number | string;
  /** Enums: the accepted values. */
  values?: readonly string[];
}

/** Values arrive as strings from the CLI (`--param peak=800`) and as numbers from JSON. */
const numeric = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v);

/** A number in [min, max]. */
export function num(description: string, def: number, min: number, max: number) {
  return z.preprocess(numeric, z.number().min(min).max(max)).default(def).meta({ description, 'x-type': 'number' });
}

/** An integer in [min, max]. */
export function int(description: string, def: number, min: number, max: number) {
  return z.preprocess(numeric, z.int().min(min).max(max)).default(def).meta({ description, 'x-type': 'integer' });
}

/** A duration string ("10s") within [minMs, maxMs]. */
export function dur(description: string, def: string, minMs: number, maxMs: number) {
  return durationString(minMs, maxMs)
    .default(def)
    .meta({ description, 'x-type': 'duration', 'x-minimum': ms(minMs), 'x-maximum': ms(maxMs) });
}

/** A distribution string ("exp:100ms"), as the TestSpec takes for service and think times. */
export function dist(description: string, def: string) {
  return distributionString.default(def).meta({ description, 'x-type': 'distribution' });
}

/** One of a few names. */
export function choice<const T extends readonly [string, ...string[]]>(description: string, def: T[number], values: T) {
  return z.enum(values).default(def).meta({ description, 'x-type': 'enum' });
}

/** Cross-parameter checks run even when a field failed, so every problem is reported at once. */
export { ALWAYS };

/** Lists a scenario's parameters from its schema (the one source of ranges and defaults). */
export function describeParams(schema: z.ZodType): ParamInfo[] {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
  };
  return Object.entries(json.properties ?? {}).map(([name, p]) => {
    const type = (p['x-type'] as ParamInfo['type'] | undefined) ?? 'number';
    const info: ParamInfo = { name, type, description: String(p.description ?? ''), default: p.default };
    if (type === 'duration') {
      info.minimum = p['x-minimum'] as string;
      info.maximum = p['x-maximum'] as string;
    } else if (type === 'number' || type === 'integer') {
      if (typeof p.minimum === 'number') info.minimum = p.minimum;
      if (typeof p.maximum === 'number') info.maximum = p.maximum;
    } else if (type === 'enum') {
      info.values = p.enum as string[];
    }
    return info;
  });
}

/** Whole milliseconds as the shortest exact duration string (core/duration.ts formatSpecDuration). */
export const ms = formatSpecDuration;
