import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { LlmError } from './llm-error.js';

/**
 * One chat-completions request with structured output to OpenAI or any compatible server
 * (vLLM, llama.cpp, Ollama, LiteLLM), with a timeout and exactly one retry on 429/5xx.
 * The openai client's own retries are off: they would also retry timeouts and connection
 * errors, and up to a default of two times, which makes a timeout take three times as long.
 */

export interface ChatRequest {
  apiKey: string;
  baseUrl: string;
  model: string;
  timeoutMs: number;
  messages: Array<{ role: 'system' | 'user'; content: string }>;
  /** JSON Schema the answer must follow. */
  schema: Record<string, unknown>;
}

export interface ChatAnswer {
  /** The model that answered, as the server reported it (falls back to the one asked for). */
  model: string;
  content: string;
}

/**
 * Largest answer read from the LLM server, in bytes. A scenario spec with its rationale is a few
 * KB; a server that sends more is broken or hostile, and is not read further (it could hold the
 * engine's memory and time).
 */
export const MAX_LLM_ANSWER_BYTES = 1_048_576;

/** Used when a 429/5xx names no wait (Retry-After); long enough for a rate limit window to move. */
export const DEFAULT_RETRY_WAIT_MS = 1000;
/** A Retry-After beyond this is not waited for: the caller (a user, a browser) is waiting too. */
export const MAX_RETRY_WAIT_MS = 5000;

export async function chatJson(r: ChatRequest): Promise<ChatAnswer> {
  const client = new OpenAI({
    apiKey: r.apiKey,
    baseURL: r.baseUrl,
    timeout: r.timeoutMs,
    maxRetries: 0,
    // Not read from the environment: the engine's config is the one source of these settings.
    organization: null,
    project: null,
    logLevel: 'off',
    fetch: cappedFetch,
  });
  const ask = async () => {
    const started = performance.now();
    try {
      return await client.chat.completions.create({
        model: r.model,
        messages: r.messages,
        response_format: { type: 'json_schema', json_schema: { name: 'scale_scenario', schema: r.schema, strict: false } },
      });
    } catch (err) {
      // The client recognises a timeout by the abort error's name, which it loses when the error
      // comes from another realm (jest's vm modules, some bundlers) and then reports a connection
      // error. A connection error at the deadline is the timeout.
      if (err instanceof APIConnectionError && !(err instanceof APIConnectionTimeoutError) && performance.now() - started >= r.timeoutMs * 0.95)
        throw new APIConnectionTimeoutError();
      throw err;
    }
  };
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  try {
    completion = await ask();
  } catch (err) {
    if (!retryable(err)) throw failure(err, r);
    await sleep(retryWait(err));
    try {
      completion = await ask();
    } catch (again) {
      throw failure(again, r);
    }
  }
  if (completion === null || typeof completion !== 'object' || !Array.isArray(completion.choices))
    throw new LlmError('malformed', `the LLM server at ${r.baseUrl} answered with JSON that is not a chat completion (no "choices")`, [{ path: 'llm', message: 'malformed: check OPENAI_BASE_URL (it should end in /v1)' }]);
  const choice = completion.choices[0];
  const content = choice?.message?.content;
  if (choice?.finish_reason === 'length')
    throw new LlmError('malformed', 'the LLM answer was cut off (token limit reached)', [{ path: 'llm', message: 'malformed: ask for a simpler scenario or use a model with a larger output limit' }]);
  if (choice?.message?.refusal) throw new LlmError('malformed', `the LLM refused: ${choice.message.refusal}`, [{ path: 'llm', message: 'malformed: refused' }]);
  if (typeof content !== 'string' || content.trim() === '')
    throw new LlmError('malformed', 'the LLM answered with no content', [{ path: 'llm', message: 'malformed: empty answer' }]);
  return { model: typeof completion.model === 'string' && completion.model ? completion.model : r.model, content };
}

function retryable(err: unknown): err is APIError {
  return err instanceof APIError && !(err instanceof APIConnectionError) && typeof err.status === 'number' && (err.status === 429 || err.status >= 500);
}

/** Honours Retry-After-Ms / Retry-After (seconds) as OpenAI and most proxies send them, capped. */
function retryWait(err: APIError): number {
  const ms = headerNumber(err, 'retry-after-ms');
  if (ms !== undefined) return Math.min(ms, MAX_RETRY_WAIT_MS);
  const s = headerNumber(err, 'retry-after');
  if (s !== undefined) return Math.min(s * 1000, MAX_RETRY_WAIT_MS);
  return DEFAULT_RETRY_WAIT_MS;
}

/** A non-negative number header; undefined when absent or not a number (an HTTP date, say). */
function headerNumber(err: APIError, name: string): number | undefined {
  const v = err.headers?.get(name);
  if (v === null || v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Maps the openai client's errors to ours, with what to do next. Never includes the key. */
function failure(err: unknown, r: ChatRequest): LlmError {
  const where = `the LLM at ${r.baseUrl}`;
  const cause = err instanceof APIConnectionError ? err.cause : err;
  if (cause instanceof AnswerTooLarge)
    return new LlmError('too_large', `${where} sent an answer larger than ${MAX_LLM_ANSWER_BYTES.toLocaleString('en-US')} bytes${cause.declared ? ` (${cause.declared.toLocaleString('en-US')} announced)` : ''}; it was not read`, [
      { path: 'llm', message: 'too_large: a scenario answer is a few KB; check the server and OPENAI_BASE_URL' },
    ]);
  if (cause instanceof AnswerNotJson)
    return new LlmError('malformed', `${where} answered ${cause.status} with a body that is not JSON (${cause.contentType || 'no content type'}): ${JSON.stringify(cause.snippet)}`, [
      { path: 'llm', message: 'malformed: is OPENAI_BASE_URL an OpenAI-compatible API (it usually ends in /v1)?' },
    ]);
  if (err instanceof APIConnectionTimeoutError)
    return new LlmError('timeout', `${where} did not answer within ${r.timeoutMs} ms`, [{ path: 'llm', message: 'timeout: try again, raise the timeout, or use a faster model' }]);
  if (err instanceof APIConnectionError)
    return new LlmError('unreachable', `cannot reach ${where}: ${(err.cause as Error | undefined)?.message ?? err.message}`, [{ path: 'llm', message: 'unreachable: check OPENAI_BASE_URL' }]);
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    // The server's own words, shortened: an error page can be long, and it is outside text.
    const said = err.message ? `: ${err.message.length > 200 ? `${err.message.slice(0, 200)}…` : err.message}` : '';
    if (status === 401 || status === 403)
      return new LlmError('auth', `${where} refused the API key (${status})`, [{ path: 'llm', message: 'auth: check OPENAI_API_KEY' }]);
    if (status === 429) return new LlmError('rate_limited', `${where} is rate-limiting requests (429, also after one retry)${said}`, [{ path: 'llm', message: 'rate_limited: try again later' }]);
    if (status >= 500) return new LlmError('unavailable', `${where} failed (${status}, also after one retry)${said}`, [{ path: 'llm', message: 'unavailable: try again later' }]);
    return new LlmError('rejected', `${where} rejected the request (${status})${said}`, [{ path: 'llm', message: 'rejected: check OPENAI_MODEL and OPENAI_BASE_URL' }]);
  }
  return new LlmError('unreachable', `request to ${where} failed: ${err instanceof Error ? err.message : String(err)}`, [{ path: 'llm', message: 'unreachable' }]);
}

/** The server's answer is over MAX_LLM_ANSWER_BYTES. */
class AnswerTooLarge extends Error {
  constructor(readonly declared?: number) {
    super('answer too large');
  }
}

/** A successful status with a body that does not parse as JSON (an HTML page, a proxy's text). */
class AnswerNotJson extends Error {
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly snippet: string,
  ) {
    super('answer is not JSON');
  }
}

/**
 * fetch for the openai client: reads at most MAX_LLM_ANSWER_BYTES of the body (stopping at the
 * announced length or as soon as more arrives), and refuses a successful answer that is not
 * JSON, so that it is reported as what it is rather than as an unreachable server. The openai
 * client wraps what this throws in an APIConnectionError; failure() unwraps it.
 */
async function cappedFetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await fetch(url, init);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > MAX_LLM_ANSWER_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new AnswerTooLarge(declared);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_LLM_ANSWER_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new AnswerTooLarge();
      }
      chunks.push(value);
    }
  }
  const body = Buffer.concat(chunks);
  if (res.ok) {
    const text = body.toString('utf8');
    try {
      JSON.parse(text);
    } catch {
      const snippet = text.trim().slice(0, 120);
      throw new AnswerNotJson(res.status, res.headers.get('content-type') ?? '', snippet.length < text.trim().length ? `${snippet}…` : snippet);
    }
  }
  return new Response(res.status === 204 ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
}
