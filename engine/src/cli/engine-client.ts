import WebSocket from 'ws';
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
    const res = await fetch(new URL(path, this.baseUrl), { method, headers: this.headers(), body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as T & { error?: { message: string; details?: Array<{ path: string; message: string }> } };
    if (!res.ok) {
      const details = json.error?.details?.map((d) => `${d.path}: ${d.message}`).join('; ');
      throw new Error(`${method} ${path}: ${res.status} ${json.error?.message ?? ''}${details ? ` (${details})` : ''}`);
    }
    return json;
  }

  start(spec: TestSpecInput): Promise<{ id: string; status: string }> {
    return this.call('POST', '/api/load-test/start', spec);
  }

  result(id: string): Promise<Result> {
    return this.call('GET', `/api/results/${encodeURIComponent(id)}`);
  }

  /** Streams live messages until `until` returns true or the socket closes. */
  watch(onMessage: (m: LiveMessage) => boolean | void): Promise<void> {
    const url = new URL('/ws/metrics', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {} });
    return new Promise((resolve, reject) => {
      ws.on('message', (data) => {
        if (onMessage(JSON.parse(String(data)) as LiveMessage) === true) ws.close();
      });
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
  }

  /** Opens the stream first, then starts the test, so no tick is missed. */
  async runAndWatch(spec: TestSpecInput, onTick: (m: Extract<LiveMessage, { type: 'tick' }>) => void): Promise<Result> {
    let id: string | undefined;
    let done = false;
    const ready = new Promise<void>((resolve) => {
      void this.watch((m) => {
        if (m.type === 'snapshot') resolve();
        if (m.type === 'tick' && m.test.id === id) onTick(m);
        if (m.type === 'done' && m.id === id) done = true;
        return done;
      }).then(() => {
        done = true;
      });
    });
    await ready;
    const started = await this.start(spec);
    id = started.id;
    while (!done) await new Promise((r) => setTimeout(r, 100));
    return this.result(started.id);
  }
}
