import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startEngineProcess, type EngineProcess } from '../helpers/engine-process.js';
import { call, quickLabSpec, startTestEngine, waitFor } from '../helpers/test-engine.js';

/**
 * Faults across an engine's death: SIGTERM rolls every fault back before the engine exits;
 * after SIGKILL the restarted engine reconciles (the store showed the fault active: it is
 * recorded ended, `reconciled`). Either way nothing is left active after the restart.
 * Needs the FaultManager wired into the engine (server.ts: deps, recordFaults, reconcile on
 * start, shutdown on close; services.ts: `faults`; app.ts: failureRoutes).
 */
const dirs: string[] = [];
const engines: EngineProcess[] = [];
afterEach(async () => {
  // An engine left running by a failed test is killed, so that no process outlives the test.
  for (const e of engines.splice(0)) {
    if (e.child.exitCode === null && e.child.signalCode === null) e.child.kill('SIGKILL');
    await e.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function runWithFault(): Promise<{ engine: EngineProcess; dir: string; id: string; faultId: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'scale-chaos-'));
  dirs.push(dir);
  const engine = await startEngineProcess({ DATA_DIR: dir });
  engines.push(engine);
  const start = await call(engine.url, 'POST', '/api/load-test/start', quickLabSpec({ name: 'dies', load: { model: 'open', stages: [{ rate: 50, duration: '60s' }] } }));
  expect(start.status).toBe(201);
  const id = start.body.id as string;
  const fault = await waitFor(async () => {
    const r = await call(engine.url, 'POST', '/api/failure/inject', { testId: id, type: 'latency', pods: ['pod-1'], delay: '20ms', duration: '10m' });
    if (r.status === 404 && r.body?.error?.message?.startsWith('no route')) throw new Error('the failure routes are not wired into the engine yet');
    return r.status === 201 ? r.body : undefined;
  }, 20_000);
  return { engine, dir, id, faultId: fault.id as string };
}

describe('faults across engine shutdown and restart', () => {
  it('SIGTERM during a fault: rolled back before exit; after restart nothing is active', async () => {
    const { engine, dir, id, faultId } = await runWithFault();
    engine.child.kill('SIGTERM');
    expect(await engine.exited).toBe(0);
    const again = await startTestEngine({}, undefined, dir);
    try {
      expect((await call(again.url, 'GET', '/api/failures?state=active')).body.faults).toEqual([]);
      const r = await call(again.url, 'GET', `/api/results/${id}`);
      expect(r.body.status).toBe('stopped');
      expect(r.body.faults).toMatchObject([{ id: faultId, endReason: 'test-stopped' }]);
      expect(r.body.faults[0].endedAt).not.toBeNull();
      const events = again.engine.services.store.events(id).map((e) => e.type);
      expect(events).toEqual(['fault-started', 'fault-ended']);
    } finally {
      await again.close();
    }
  }, 90_000);

  it('SIGKILL during a fault: the restarted engine records it ended (reconciled); nothing is active', async () => {
    const { engine, dir, id, faultId } = await runWithFault();
    engine.child.kill('SIGKILL');
    expect(await engine.exited).toBe('SIGKILL');
    const again = await startTestEngine({}, undefined, dir);
    try {
      expect((await call(again.url, 'GET', '/api/failures?state=active')).body.faults).toEqual([]);
      const listed = await call(again.url, 'GET', `/api/failures?testId=${id}`);
      expect(listed.body.faults).toMatchObject([{ id: faultId, state: 'ended', endReason: 'reconciled' }]);
      const events = again.engine.services.store.events(id);
      expect(events.map((e) => e.type)).toEqual(['fault-started', 'fault-ended']);
      expect(events[1].data).toMatchObject({ id: faultId, endReason: 'reconciled' });
      // the interrupted run's Result, rebuilt from its samples, lists the fault too
      const result = await call(again.url, 'GET', `/api/results/${id}`);
      expect(result.body.status).toBe('interrupted');
      expect(result.body.faults).toMatchObject([{ id: faultId, endReason: 'reconciled' }]);
    } finally {
      await again.close();
    }
  }, 90_000);
});
