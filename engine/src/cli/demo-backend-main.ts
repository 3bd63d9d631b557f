/**
 * Entry of the `scale-demo-backend` image (engine/Dockerfile.demo-backend): the demo backend
 * alone, without the engine's other modules (no SQLite, no HTTP API), so the image stays small.
 */
import { demoBackendCommand } from './demo-backend-command.js';
import { terminate } from './exit-codes.js';

terminate(await demoBackendCommand());
