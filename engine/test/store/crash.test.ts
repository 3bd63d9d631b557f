import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { tempDir } from './sample-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const engineDir = join(here, '..', '..');

/** Runs the writer fixture until it has committed `samples` samples, then SIGKILLs it. */
function writeThenKill(file: string, id: string, samples: number): Promise<{ reported: number; signal: NodeJS.Signals | null }> {
  // Without the parent's NODE_OPTIONS (jest's --experimental-vm-modules is not the child's business).
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'crash-writer.ts'), file, id], { cwd: engineDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let reported = 0;
  let stderr = '';
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer reported ${reported} samples in 15 s; stderr: ${stderr}`));
    }, 15_000);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      reported += d.toString().split('\n').filter((l) => l.startsWith('sample')).length;
      // Killed mid-stream, without warning: no close(), no checkpoint, no exit handlers.
      if (reported >= samples) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal === 'SIGKILL') resolve({ reported, signal });
      else reject(new Error(`writer exited with ${code}; stderr: ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('a SIGKILLed writer leaves an interrupted run with its committed samples', async () => {
    // 5 samples ≈ 0.5 s of writing once the child is up (tsx start-up time varies on 2 cores).
    const { reported } = await writeThenKill(tmp.file, 'crashed', 5);
    expect(reported).toBeGreaterThanOrEqual(5);

    const store = new SqliteStore(tmp.file);
    try {
      expect(store.list().items[0]).toMatchObject({ id: 'crashed', status: 'running' });
      expect(store.markInterrupted()).toEqual(['crashed']);
      const r = store.get('crashed');
      expect(r?.status).toBe('interrupted');
      // Every sample the child reported was committed before it printed, so none is lost.
      expect(r?.timeline.length).toBeGreaterThanOrEqual(Math.max(3, reported));
      expect(r?.timeline.map((p) => p.t)).toEqual(r?.timeline.map((_, i) => i + 1));
      expect(r?.totals.requests).toBe(20 * (r?.timeline.length ?? 0));
      expect(r?.balance.verdict).toBe('balanced');
    } finally {
      store.close();
    }
  }, 20_000);
});
