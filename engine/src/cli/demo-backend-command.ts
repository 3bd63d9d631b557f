import { formatIssues } from '../core/errors.js';
import { DemoBackend, demoBackendOptions } from '../lab/demo-backend.js';
import { EXIT } from './exit-codes.js';

/**
 * `scale demo-backend`: one demo backend pod (lab/demo-backend.ts) configured from its
 * environment, as the `scale-demo-backend` image runs it. Serves until SIGTERM/SIGINT, then
 * closes its connections and exits 0 (a Deployment's rolling update sends SIGTERM).
 */
export async function demoBackendCommand(env: Record<string, string | undefined> = process.env): Promise<number> {
  const o = demoBackendOptions(env);
  if (Array.isArray(o)) {
    process.stderr.write(`scale demo-backend: invalid environment\n${formatIssues(o)}\n`);
    return EXIT.badInput;
  }
  const backend = await DemoBackend.start(o);
  process.stderr.write(`scale demo-backend ${o.name} on ${o.host}:${backend.port} (pod header ${o.podHeader || 'none'})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await backend.close();
  return EXIT.ok;
}
