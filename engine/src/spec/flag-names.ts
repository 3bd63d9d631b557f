import type { Issue } from '../core/errors.js';

/**
 * Names, in a validation message, the flag the user typed for a spec path (`target.pods
 * (--pods)`), or no flag when the value came from a file or a scenario: a message must point
 * at what the user can change. Shared by `scale run` and `scale simulate`, each with its table.
 */

/** Spec path → the flags that can set it (aliases included). */
export type FlagTable = Readonly<Record<string, readonly string[]>>;

/** camelCase option key → kebab-case flag name ("podSpeed" → "pod-speed"). */
export function kebab(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flags given, as typed ("--pod-latency", "--service-time"), from the options commander filled. */
export function givenFlags(options: object): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    out.add(k === 'keepAlive' ? (v ? '--keep-alive' : '--no-keep-alive') : `--${kebab(k)}`);
  }
  return out;
}

/** Adds the typed flags to each issue whose path they set; the longest matching path wins. */
export function withFlagNames(issues: Issue[], table: FlagTable, given: ReadonlySet<string>): Issue[] {
  const keys = Object.keys(table).sort((a, b) => b.length - a.length);
  return issues.map((i) => {
    const key = keys.find((p) => i.path === p || i.path.startsWith(`${p}.`));
    const typed = key ? table[key].filter((f) => given.has(f)) : [];
    return typed.length > 0 ? { ...i, path: `${i.path} (${typed.join(', ')})` } : i;
  });
}
