import type { z } from 'zod';
import { ValidationError, type Issue } from '../core/errors.js';
import { TestSpecSchema, type TestSpec } from './test-spec.js';

/** Flattens zod issues into our Issue list: one entry per problem, unknown keys one each. */
export function toIssues(error: z.ZodError): Issue[] {
  const out: Issue[] = [];
  for (const i of error.issues) {
    const base = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ path: base ? `${base}.${k}` : k, message: 'unknown field' });
    } else if (i.code === 'invalid_union' && 'errors' in i && Array.isArray(i.errors) && i.errors.length > 0) {
      out.push({ path: base, message: i.message });
    } else {
      out.push({ path: base, message: i.message });
    }
  }
  return out;
}

/** Validates with any schema; throws a ValidationError listing every problem. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new ValidationError(toIssues(r.error));
  return r.data;
}

/** Validates a TestSpec and fills its defaults. */
export function parseTestSpec(input: unknown): TestSpec {
  return parseWith(TestSpecSchema, input);
}
