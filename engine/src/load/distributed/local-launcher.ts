import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WORKER_ENV } from './protocol.js';
import type { WorkerLauncher } from './remote-fleet.js';
import type { WorkerHub } from './worker-hub.js';

/**
 * Runs a distributed load's workers as child processes on this machine: the same worker
 * program, over the same protocol, as the Indexed Job's pods in a cluster, so the whole path is
 * exercised locally. From the built tree (dist/) the entry is JavaScript; from the sources it
 * is TypeScript started through tsx's loader.
 */
export class LocalLauncher implements WorkerLauncher {
  readonly connectTimeoutMs: number;
  private children: ChildProcess[] = [];

  constructor(
    private readonly hub: WorkerHub,
    o: { connectTimeoutMs?: number } = {},
  ) {
    this.connectTimeoutMs = o.connectTimeoutMs ?? 30_000;
  }

  get where(): string {
    return `${this.children.length} local processes`;
  }

  /** The worker processes, by index (tests kill one to see a worker lost). */
  get processes(): readonly ChildProcess[] {
    return this.children;
  }

  async launch(o: { run: string; token: string; workers: number; fail: (message: string) => void }): Promise<void> {
    const { entry, execArgv } = workerEntry();
    for (let i = 0; i < o.workers; i++) {
      const child = spawn(process.execPath, [...execArgv, entry], {
        env: { ...process.env, [WORKER_ENV.url]: this.hub.localUrl, [WORKER_ENV.run]: o.run, [WORKER_ENV.token]: o.token, [WORKER_ENV.index]: String(i) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
      child.on('error', (e) => o.fail(`worker ${i}: ${e.message}`));
      child.on('exit', (code, signal) => {
        if (code !== 0) o.fail(`worker ${i} exited (${code ?? signal})${err ? `: ${err.trim().split('\n').at(-1)}` : ''}`);
      });
      this.children.push(child);
    }
  }

  async cleanup(): Promise<void> {
    const alive = this.children.filter((c) => c.exitCode === null && c.signalCode === null);
    await Promise.all(
      alive.map(
        (c) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => c.kill('SIGKILL'), 3_000);
            c.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            c.kill('SIGTERM');
          }),
      ),
    );
  }
}

/** The worker program: compiled when this module is, else the TypeScript source through tsx. */
export function workerEntry(): { entry: string; execArgv: string[] } {
  const js = new URL('../../cli/load-worker-main.js', import.meta.url);
  if (js.protocol === 'file:' && existsSync(fileURLToPath(js))) return { entry: fileURLToPath(js), execArgv: [] };
  const ts = new URL('../../cli/load-worker-main.ts', import.meta.url);
  return { entry: fileURLToPath(ts), execArgv: ['--import', import.meta.resolve('tsx/esm')] };
}
