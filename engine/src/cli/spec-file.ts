import { readFile } from 'node:fs/promises';
import type { Issue } from '../core/errors.js';

/** Flags commander did not know and stray words, as issues reported with every other problem. */
export function unknownFlagIssues(unknown: readonly string[]): Issue[] {
  return unknown.map((f) => ({ path: f, message: f.startsWith('-') ? 'unknown flag' : 'unexpected (flags take one value each)' }));
}

/** Reads a `--spec` JSON file; problems are added to `issues` and an empty object returned. */
export async function readSpecFile(path: string | undefined, issues: Issue[]): Promise<Record<string, unknown>> {
  if (path === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    issues.push({ path: '--spec', message: 'the file must hold a JSON object' });
  } catch (err) {
    issues.push({ path: '--spec', message: `cannot read ${path}: ${(err as Error).message}` });
  }
  return {};
}
