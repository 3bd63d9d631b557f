import { ScaleError } from '../core/errors.js';

/** ARCHITECTURE.md §8: 0 ok, 1 thresholds failed, 2 bad input, 3 engine error. */
export const EXIT = { ok: 0, thresholds: 1, badInput: 2, engine: 3 } as const;

export function exitCodeFor(err: unknown): number {
  if (err instanceof ScaleError) {
    return err.code === 'invalid_input' || err.code === 'forbidden_target' || err.code === 'limit_exceeded' || err.code === 'not_found'
      ? EXIT.badInput
      : EXIT.engine;
  }
  return EXIT.engine;
}

/** A short next step for the user, by error code; `command` is the one that was run ("simulate", "scenarios generate"). */
export function hintFor(err: unknown, command = ''): string | undefined {
  if (!(err instanceof ScaleError)) return undefined;
  switch (err.code) {
    case 'invalid_input':
      return `fix the fields above; \`scale ${command ? `${command} ` : ''}--help\` lists every flag`;
    case 'forbidden_target':
      return 'the engine only sends traffic to loopback and the lab';
    case 'target_unreachable':
      return 'is the target running and listening on that address?';
    default:
      return undefined;
  }
}

/**
 * Ends the process now with `code`. The only way out of the CLI besides returning an exit code;
 * kept in one place so `cli/` is the only folder that ever ends the process (STYLE habit 4).
 */
export const terminate: (code: number) => never = process.exit.bind(process);
