import type { Command } from 'commander';

/** Flags commander did not know and stray words, as typed: reported with every other problem. */
export function unknownArgs(cmd: Command): string[] {
  return cmd.args.map((a) => (a.startsWith('-') ? a : `argument "${a}"`));
}

/** Commander sets keepAlive=true by default because of --no-keep-alive; keep it undefined unless given. */
export function givenKeepAlive<T extends { keepAlive?: boolean }>(opts: T, cmd: Command): T {
  return cmd.getOptionValueSource('keepAlive') === 'cli' ? opts : { ...opts, keepAlive: undefined };
}
