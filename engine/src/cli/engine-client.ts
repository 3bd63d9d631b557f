import WebSocket from 'ws';
import { ScaleError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import type { LiveMessage } from '../api/live-feed.js';
import type { TestSpecInput } from '../spec/test-spec.js';

/**
 * A small client of the engine's HTTP API and live stream, used by `scale demo` (which drives
 * its phases through the API exactly as Grafana or a script would).
 */
export class EngineClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(new URL(path, this.baseUrl), { method, headers: this.headers(), body: body === undefined ? undefined : JSON.stringify(body) }).catch((err: unknown) => {
      throw new ScaleError('engine_error', `${method} ${path}: cannot reach the engine at ${this.baseUrl}: ${(err as Error).message}`);
    });
    const text = await res.text();
    let json: T & { error?: { message: string; details?: Array<{ path: string; message: string }> } };
    try {
      json = JSON.parse(text);
    } catch {
      throw new ScaleError('engine_error', `${method} ${path}: ${res.status}, and the answer is not JSON: ${JSON.stringify(text.slice(0, 120))}`);
    }
    if (!res.ok) {
      const details = json.error?.details?.map((d) => `${d.path}: ${d.message}`).join('; ');
      throw new ScaleError('engine_error', `${method} ${path}: ${res.status} ${json.error?.message ?? ''}${details ? ` (${details})` : ''}`);
    }
    return json;
  }

  start(spec: TestSpecInput): Promise<{ id: string; status: string }> {
    return this.call('POST', '/api/load-test/start', spec);
  }

  result(id: string): Promise<Result> {
    return this.call('GET', `/api/results/${encodeURIComponent(id)}`);
  }

  /**
   * Opens the live stream: `onMessage` gets every message (after the first snapshot too).
   * `ready` resolves on the first snapshot; `closed` resolves when the socket closes after it.
   * Both reject with a clear error when the stream fails or closes before its snapshot: nothing
   * waits forever and no rejection goes unhandled (`closed` is only awaited by its owner).
   */
  stream(onMessage: (m: LiveMessage) => void): { ready: Promise<void>; closed: Promise<void>; close(): void } {
    const url = new URL('/ws/metrics', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
    let snapshot = false;
    let failure: Error | undefined;
    const where = `the engine's live stream (${url.origin}/ws/metrics)`;
    const ready = new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        let m: LiveMessage;
        try {
          m = JSON.parse(String(data)) as LiveMessage;
        } catch {
          failure = new ScaleError('engine_error', `${where} sent a message that is not JSON`);
          ws.terminate();
          return;
        }
        if (m.type === 'snapshot' && !snapshot) {
          snapshot = true;
          resolve();
        }
        onMessage(m);
      });
      ws.on('error', (err) => {
        failure = new ScaleError('engine_error', `${where} failed: ${err.message}`);
        reject(failure);
      });
      ws.on('close', (code) => {
        if (!snapshot) reject(failure ?? new ScaleError('engine_error', `${where} closed (${code}) before its first snapshot`));
      });
    });
    const closed = new Promise<void>((resolve, reject) => {
      ws.on('close', () => (failure ? reject(failure) : resolve()));
    });
    // Whoever awaits these handles them; these handlers only keep an unawaited one from crashing the process.
    ready.catch(() => undefined);
    closed.catch(() => undefined);
    return { ready, closed, close: () => ws.close() };
  }

  /**
   * Opens the stream first, then starts the test, so no tick is missed; resolves with the stored
   * Result once the `done` message arrives. Rejects with a clear error when the stream fails or
   * closes before the test ends.
   */
  async runAndWatch(spec: TestSpecInput, onTick: (m: Extract<LiveMessage, { type: 'tick' }>) => void): Promise<Result> {
    let id: string | undefined;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const live = this.stream((m) => {
      if (m.type === 'tick' && m.test.id === id) onTick(m);
      if (m.type === 'done' && m.id === id) finish();
    });
    try {
      await live.ready;
      id = (await this.start(spec)).id;
      const ended = live.closed.then(() => {
        throw new ScaleError('engine_error', `the engine's live stream closed before test ${id} ended`);
      });
      // Settles (rejects) when the finally below closes the socket after `done` won the race.
      ended.catch(() => undefined);
      await Promise.race([done, ended]);
      return await this.result(id);
    } finally {
      live.close();
    }
  }
}
