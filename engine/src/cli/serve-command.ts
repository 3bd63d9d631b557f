import { startEngine, type Engine } from '../api/server.js';
import { loadConfig } from '../config/config.js';
import { runDemo } from './demo.js';
import { EXIT, terminate } from './exit-codes.js';

export interface ServeOptions {
  host?: string;
  port?: string;
  dataDir?: string;
  allowUnauthenticated?: boolean;
  demo?: boolean;
  quick?: boolean;
}

/**
 * `scale serve`: the long-running engine. The first SIGINT/SIGTERM shuts down gracefully (stop
 * tests, roll back, write results, at most SHUTDOWN_TIMEOUT); a second one exits at once.
 */
export async function serveCommand(o: ServeOptions): Promise<number> {
  const env = { ...process.env };
  if (o.host !== undefined) env.HOST = o.host;
  if (o.port !== undefined) env.PORT = o.port;
  if (o.dataDir !== undefined) env.DATA_DIR = o.dataDir;
  if (o.allowUnauthenticated) env.ENGINE_ALLOW_UNAUTHENTICATED = 'true';
  // The demo narrates on the terminal; info logs would interleave with it.
  if (o.demo && env.LOG_LEVEL === undefined) env.LOG_LEVEL = 'warn';
  const config = loadConfig(env);
  const engine = await startEngine(config);
  process.stderr.write(`scale engine on ${engine.url}  (API docs ${engine.url}/docs, metrics ${engine.url}/metrics)\n`);
  const stopped = waitForSignals(engine, config.SHUTDOWN_TIMEOUT);
  if (o.demo) {
    const code = await runDemo(Boolean(o.quick), engine.url, config.ENGINE_TOKEN);
    process.stderr.write(`\nThe engine keeps serving on ${engine.url}; press Ctrl-C to stop.\n`);
    if (code !== EXIT.ok) return code;
  }
  return stopped;
}

function waitForSignals(engine: Engine, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    let signalled = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (signalled) {
        process.stderr.write(`${sig} again: exiting now\n`);
        terminate(EXIT.engine);
      }
      signalled = true;
      process.stderr.write(`${sig}: stopping tests and writing results (Ctrl-C again to exit at once)\n`);
      const force = setTimeout(() => {
        process.stderr.write('shutdown took too long: exiting\n');
        terminate(EXIT.engine);
      }, timeoutMs + 2000);
      force.unref();
      engine.close().then(
        () => resolve(EXIT.ok),
        () => resolve(EXIT.engine),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
