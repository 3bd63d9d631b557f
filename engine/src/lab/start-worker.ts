import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Maps a worker entry written as `new URL('./x-worker.js', import.meta.url)` to the file that
 * exists: the built tree (dist/) holds `.js`, the source tree (jest, tsx) holds `.ts`.
 */
export function resolveWorkerEntry(entry: URL): URL {
  if (entry.protocol !== 'file:' || !entry.pathname.endsWith('.js')) return entry;
  if (existsSync(fileURLToPath(entry))) return entry;
  return new URL(entry.href.replace(/\.js$/, '.ts'));
}

/**
 * Starts a worker thread on `entry`, whether it is compiled JavaScript or TypeScript source.
 *
 * Why the bootstrap: on Node 20 a `.ts` worker entry cannot go through tsx's loader
 * (`ERR_UNKNOWN_FILE_EXTENSION`, see shared FACTS), and jest's module system does not reach
 * into worker threads. So for `.ts` we start a tiny inline worker that registers tsx and then
 * imports the entry. tsx is resolved here, in the caller's thread, because an eval'd worker
 * resolves bare specifiers from the process's cwd, which may be anywhere. The entry itself reads
 * `workerData` as usual; the bootstrap passes it through unchanged.
 */
export function startWorker(entry: URL, workerData: unknown): Worker {
  const resolved = resolveWorkerEntry(entry);
  if (!resolved.pathname.endsWith('.ts')) return new Worker(resolved, { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  // Rethrowing from the promise surfaces load errors as the Worker's 'error' event.
  const code =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(resolved.href)}); })` +
    `.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(code, { eval: true, workerData });
}
