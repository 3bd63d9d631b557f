import { isFetchError } from '@grafana/runtime';
import { safeText } from '../../../engine/src/core/text';
import type { Issue } from './types';

/**
 * A failed engine call, whatever failed: the engine's own envelope
 * (`{ error: { code, message, details } }`), Grafana's proxy (502 when the engine is down), or
 * the network. `details` keep the engine's field paths so forms can show them next to fields.
 */
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Issue[] = []
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

interface Envelope {
  error?: { code?: unknown; message?: unknown; details?: unknown };
  message?: unknown;
}

/** Keeps outside text plain and short before a page shows it: the engine's own safeText, then at most `max` characters. */
export function cleanText(value: unknown, max = 500): string {
  const s = safeText(String(value ?? ''));
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function issuesOf(details: unknown): Issue[] {
  if (!Array.isArray(details)) {
    return [];
  }
  return details
    .slice(0, 100)
    .map((d) => ({ path: cleanText((d as Issue)?.path ?? '', 200), message: cleanText((d as Issue)?.message ?? '') }));
}

/** Grafana answers these itself when it cannot reach the engine. */
const PROXY_CODES: Record<number, string> = {
  502: 'engine_unreachable',
  503: 'engine_unreachable',
  504: 'engine_timeout',
};

/** Turns anything thrown by a backendSrv call into an EngineError. */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) {
    return e;
  }
  if (isFetchError(e)) {
    const body = (e.data ?? {}) as Envelope;
    if (body.error && typeof body.error === 'object') {
      return new EngineError(
        e.status,
        cleanText(body.error.code ?? 'engine_error', 60),
        cleanText(body.error.message ?? e.statusText),
        issuesOf(body.error.details)
      );
    }
    const code = PROXY_CODES[e.status] ?? (e.status ? `http_${e.status}` : 'engine_unreachable');
    const message = cleanText(body.message ?? e.statusText ?? '') || (e.status ? `HTTP ${e.status}` : 'no answer');
    return new EngineError(e.status ?? 0, code, message);
  }
  return new EngineError(0, 'engine_unreachable', cleanText(e instanceof Error ? e.message : e));
}

/** What a person should know about an error, and what to do about it. */
export function describeError(e: EngineError): { title: string; hint?: string } {
  switch (true) {
    case e.code === 'engine_unreachable' || e.status === 0:
      return {
        title: 'The Scale engine cannot be reached',
        hint: 'Check that `scale serve` is running and that the engine URL on the configuration page is right.',
      };
    case e.code === 'engine_timeout':
      return { title: 'The Scale engine did not answer in time', hint: 'It may be overloaded; try again in a moment.' };
    case e.status === 401:
      return {
        title: 'The engine refused the token (401)',
        hint: 'Set the engine token on the configuration page to the ENGINE_TOKEN the engine was started with.',
      };
    case e.status === 403 && e.code === 'forbidden_target':
      return {
        title: 'The engine may not send traffic to this target (403)',
        hint: 'Targets must match ENGINE_ALLOWED_TARGETS on the engine (loopback only by default).',
      };
    case e.status === 403:
      return {
        title: 'Not allowed (403)',
        hint: 'Starting tests, injecting faults and tuning need the Editor role in Grafana.',
      };
    case e.status === 429:
      return {
        title: 'Too many tests are running (429)',
        hint: 'Wait for one to finish or stop one; the engine caps concurrent tests (MAX_CONCURRENT_TESTS).',
      };
    case e.status === 404:
      return { title: 'Not found', hint: undefined };
    default:
      return { title: e.status ? `The engine refused the request (${e.status})` : 'The request failed' };
  }
}
