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
  const choice = completion.choices?.[0];
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
  if (err instanceof APIConnectionTimeoutError)
    return new LlmError('timeout', `${where} did not answer within ${r.timeoutMs} ms`, [{ path: 'llm', message: 'timeout: try again, raise the timeout, or use a faster model' }]);
  if (err instanceof APIConnectionError)
    return new LlmError('unreachable', `cannot reach ${where}: ${(err.cause as Error | undefined)?.message ?? err.message}`, [{ path: 'llm', message: 'unreachable: check OPENAI_BASE_URL' }]);
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const said = err.message ? `: ${err.message}` : '';
    if (status === 401 || status === 403)
      return new LlmError('auth', `${where} refused the API key (${status})`, [{ path: 'llm', message: 'auth: check OPENAI_API_KEY' }]);
    if (status === 429) return new LlmError('rate_limited', `${where} is rate-limiting requests (429, also after one retry)${said}`, [{ path: 'llm', message: 'rate_limited: try again later' }]);
    if (status >= 500) return new LlmError('unavailable', `${where} failed (${status}, also after one retry)${said}`, [{ path: 'llm', message: 'unavailable: try again later' }]);
    return new LlmError('rejected', `${where} rejected the request (${status})${said}`, [{ path: 'llm', message: 'rejected: check OPENAI_MODEL and OPENAI_BASE_URL' }]);
  }
  return new LlmError('unreachable', `request to ${where} failed: ${err instanceof Error ? err.message : String(err)}`, [{ path: 'llm', message: 'unreachable' }]);
}
