import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../../src/api/server.js';
import { loadConfig } from '../../src/config/config.js';
import type { RunDeps } from '../../src/runs/test-run.js';

/** A real engine on 127.0.0.1 port 0 with its own data folder, for API tests over real sockets. */
export interface TestEngine {
  engine: Engine;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startTestEngine(env: Record<string, string> = {}, deps?: RunDeps, dataDir?: string): Promise<TestEngine> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'scale-api-'));
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const engine = await startEngine(config, { deps });
  return {
    engine,
    url: engine.url,
    dataDir: dir,
    close: async () => {
      await engine.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper: returns status, parsed body (or text) and headers; gives up after `timeoutMs`. */
export async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (CSV, HTML, metrics text)
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/** Polls until `check` returns a value or the deadline passes (bounded: never loops forever). */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** A small, quick lab test spec. */
export function quickLabSpec(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'api-test',
    target: { kind: 'lab', pods: 3, policy: 'round-robin', podBehaviour: [{ latency: 'fixed:1ms' }] },
    load: { model: 'open', stages: [{ rate: 100, duration: '2s' }] },
    ...overrides,
  };
}
