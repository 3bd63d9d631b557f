import type { Issue } from '../core/errors.js';

/**
 * Reads repeated `--param key=value` flags into the record scenarioSpec takes. Values stay
 * strings (the scenario's schema converts and checks them); problems with the flags themselves
 * (no `=`, an empty key, a key given twice) are returned, all of them, under the path `--param`.
 */
export function paramsFromFlags(flags: readonly string[] = []): { params: Record<string, string>; issues: Issue[] } {
  const params: Record<string, string> = {};
  const issues: Issue[] = [];
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const key = eq < 0 ? '' : flag.slice(0, eq).trim();
    if (eq < 0 || key === '') {
      issues.push({ path: '--param', message: `"${flag}" is not key=value (e.g. --param peak=800)` });
      continue;
    }
    if (Object.hasOwn(params, key)) issues.push({ path: '--param', message: `"${key}" is given twice` });
    params[key] = flag.slice(eq + 1).trim();
  }
  return { params, issues };
}
