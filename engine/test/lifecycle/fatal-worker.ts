import { serveWorker } from '../../src/lab/worker-rpc.js';

// A worker that holds a timer (as a half-started server would hold its socket) and then fails
// its setup: the controller must end it, or the thread would live on. It ends itself after 3 s
// anyway, so that a regression fails the test instead of hanging the suite.
serveWorker(async () => {
  setInterval(() => undefined, 1000);
  setTimeout(() => process.exit(0), 3000);
  throw new Error('setup failed on purpose');
});
