/**
 * Entry of a local load worker process (load/distributed/local-launcher.ts starts it): the
 * worker alone, without the engine's other modules, so it starts fast.
 */
import { terminate } from './exit-codes.js';
import { loadWorkerCommand } from './load-worker-command.js';

terminate(await loadWorkerCommand());
