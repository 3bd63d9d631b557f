/**
 * Typed errors with stable codes. The API maps them once to an HTTP status and the JSON
 * envelope; the CLI maps them to an exit code and a hint. Nothing else inspects messages.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'forbidden_target'
  | 'limit_exceeded'
  | 'too_many_tests'
  | 'payload_too_large'
  | 'unauthorized'
  | 'target_unreachable'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'engine_error';

/** One problem with the input: where it is (a dotted path) and what is wrong. */
export interface Issue {
  path: string;
  message: string;
}

export class ScaleError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Issue[] = [],
  ) {
    super(message);
    this.name = 'ScaleError';
  }
}

/** Bad input: carries every problem found, not just the first. */
export class ValidationError extends ScaleError {
  constructor(details: Issue[], message?: string) {
    super(
      'invalid_input',
      message ?? `invalid input: ${details.length} problem${details.length === 1 ? '' : 's'}`,
      details,
    );
    this.name = 'ValidationError';
  }
}

/** Renders issues one per line, for terminals and logs. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n');
}
