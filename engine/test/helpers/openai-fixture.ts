import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback OpenAI-compatible server for tests: it answers POST /v1/chat/completions from a
 * script, one step per request, and records what it was sent. It listens on 127.0.0.1 port 0,
 * so no test reaches any other host.
 */
export type FixtureStep =
  /** A completion whose message content is `content` (objects are JSON-encoded). */
  | { answer: string | object; model?: string; finishReason?: 'stop' | 'length' }
  /** An error status with an OpenAI-style error body and optional headers (retry-after-ms). */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Never answers (until the fixture closes): the client must time out. */
  | { hang: true }
  /**
   * A raw body: `chunk` sent `repeat` times (default once), with this status (200) and content
   * type; `declareLength` sends a content-length (else chunked). Stops when the client goes away.
   */
  | { raw: string; repeat?: number; status?: number; contentType?: string; declareLength?: boolean };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
  at: number;
}

export interface OpenAiFixture {
  /** Base URL for the openai client: http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startOpenAiFixture(script: FixtureStep[], defaultModel = 'fixture-model-1'): Promise<OpenAiFixture> {
  const steps = [...script];
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // recorded as text
      }
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return send(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
      const step = steps.shift();
      if (!step) return send(res, 500, { error: { message: 'fixture script exhausted', type: 'server_error' } });
      if ('hang' in step) return;
      if ('raw' in step) return sendRaw(res, step);
      if ('status' in step) return send(res, step.status, { error: { message: step.message ?? `status ${step.status}`, type: 'fixture_error', code: null } }, step.headers);
      const requested = (body as { model?: string })?.model;
      send(res, 200, completion(step.model ?? requested ?? defaultModel, typeof step.answer === 'string' ? step.answer : JSON.stringify(step.answer), step.finishReason ?? 'stop'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      // Hanging requests keep their sockets open; close them so the server can stop.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendRaw(res: ServerResponse, step: Extract<FixtureStep, { raw: string }>): void {
  const chunk = Buffer.from(step.raw);
  const times = step.repeat ?? 1;
  res.writeHead(step.status ?? 200, {
    'content-type': step.contentType ?? 'application/json',
    ...(step.declareLength ? { 'content-length': chunk.length * times } : {}),
  });
  let sent = 0;
  let gone = false;
  res.on('close', () => void (gone = true));
  res.on('error', () => void (gone = true));
  // Honours backpressure, so a client that stops reading holds the writer instead of its memory.
  const pump = () => {
    while (!gone && sent < times) {
      sent++;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!gone) res.end();
  };
  pump();
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function completion(model: string, content: string, finishReason: string) {
  return {
    id: 'chatcmpl-fixture',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}
