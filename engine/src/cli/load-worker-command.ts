import { formatIssues, ScaleError } from '../core/errors.js';
import { runWorker, workerIdentity } from '../load/distributed/worker-client.js';
import { EXIT } from './exit-codes.js';

/**
 * `scale worker`: one load worker of a distributed run (a child process of the engine, or a pod
 * of the load-worker Indexed Job), configured from its environment (load/distributed/protocol.ts
 * WORKER_ENV). Exits 0 when its share is done, 2 on a bad environment, 3 when it lost the
 * coordinator or was refused.
 */
export async function loadWorkerCommand(env: Record<string, string | undefined> = process.env): Promise<number> {
  const id = workerIdentity(env);
  if (Array.isArray(id)) {
    process.stderr.write(`scale worker: invalid environment\n${formatIssues(id)}\n`);
    return EXIT.badInput;
  }
  try {
    await runWorker(id);
    return EXIT.ok;
  } catch (err) {
    process.stderr.write(`scale worker: ${err instanceof ScaleError ? err.message : String(err)}\n`);
    return EXIT.engine;
  }
}
