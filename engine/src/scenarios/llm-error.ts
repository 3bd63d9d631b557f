import { ScaleError, type ErrorCode, type Issue } from '../core/errors.js';

/** Why a request to the LLM failed; stable, so callers and tests can branch on it. */
export type LlmFailure =
  /** No answer within the timeout. */
  | 'timeout'
  /** The server refused the key (401/403). */
  | 'auth'
  /** 429 twice (the one retry also hit the limit). */
  | 'rate_limited'
  /** 5xx twice. */
  | 'unavailable'
  /** Connection refused, DNS failure, reset. */
  | 'unreachable'
  /** Any other refusal of the request (400 unknown model, 404 wrong base URL, ...). */
  | 'rejected'
  /** The answer is not JSON, is empty, or was cut off. */
  | 'malformed'
  /** The answer is larger than MAX_LLM_ANSWER_BYTES (it is not read). */
  | 'too_large'
  /** The answer is JSON but not a TestSpec that can be repaired by clamping. */
  | 'invalid_answer';

/**
 * The ScaleError code of each failure. All are the engine's (500 in the API, exit code 3 in the
 * CLI) until core/errors.ts has codes for an upstream failure (502) and an upstream timeout (504);
 * then only this table changes.
 */
const CODE: Record<LlmFailure, ErrorCode> = {
  timeout: 'upstream_timeout',
  auth: 'upstream_error',
  rate_limited: 'upstream_error',
  unavailable: 'upstream_error',
  unreachable: 'upstream_error',
  rejected: 'upstream_error',
  malformed: 'upstream_error',
  too_large: 'upstream_error',
  invalid_answer: 'upstream_error',
};

/** A failed LLM generation, with the reason and a hint in `details` (path `llm`). */
export class LlmError extends ScaleError {
  constructor(
    readonly reason: LlmFailure,
    message: string,
    details: Issue[] = [],
  ) {
    super(CODE[reason], message, details);
    this.name = 'LlmError';
  }
}
