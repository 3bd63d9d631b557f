import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEngineProcess } from '../helpers/engine-process.js';
import { call, quickLabSpec, startTestEngine, waitFor } from '../helpers/test-engine.js';

const dirs: string[] = [];
const dataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'scale-durable-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const longTest = quickLabSpec({ name: 'long', load: { model: 'open', stages: [{ rate: 50, duration: '60s' }] } });

async function startAndWaitSeconds(url: string, seconds: number): Promise<string> {
  const start = await call(url, 'POST', '/api/load-test/start', longTest);
  expect(start.status).toBe(201);
  const id = start.body.id as string;
  await waitFor(async () => {
    const s = await call(url, 'GET', `/api/load-test/status/${id}`);
    return s.body.elapsed >= seconds ? true : undefined;
  }, 30_000);
  return id;
}

describe('durability of results', () => {
  it('SIGKILL during a run: after restart the run is interrupted, with its samples up to the last second', async () => {
    const dir = dataDir();
    const engine = await startEngineProcess({ DATA_DIR: dir });
    const id = await startAndWaitSeconds(engine.url, 3);
    const seen = (await call(engine.url, 'GET', `/api/results/${id}`)).body.timeline.length as number;
    engine.child.kill('SIGKILL');
    expect(await engine.exited).toBe('SIGKILL');

    const again = await startTestEngine({}, undefined, dir);
    try {
      const r = await call(again.url, 'GET', `/api/results/${id}`);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('interrupted');
      // at most the last second is lost
      expect(r.body.timeline.length).toBeGreaterThanOrEqual(Math.max(1, seen - 1));
      expect(r.body.totals.requests).toBeGreaterThan(0);
      const list = await call(again.url, 'GET', '/api/results?status=interrupted');
      expect(list.body.items.map((i: { id: string }) => i.id)).toContain(id);
    } finally {
      await again.close();
    }
  }, 90_000);

  it('SIGTERM: tests are stopped, results written, the engine exits 0 within 10 s', async () => {
    const dir = dataDir();
    const engine = await startEngineProcess({ DATA_DIR: dir });
    const id = await startAndWaitSeconds(engine.url, 2);
    const t0 = Date.now();
    engine.child.kill('SIGTERM');
    expect(await engine.exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);

    const again = await startTestEngine({}, undefined, dir);
    try {
      const r = await call(again.url, 'GET', `/api/results/${id}`);
      expect(r.body.status).toBe('stopped');
      expect(r.body.totals.requests).toBeGreaterThan(0);
      expect(r.body.timeline.length).toBeGreaterThanOrEqual(2);
    } finally {
      await again.close();
    }
  }, 90_000);
});
