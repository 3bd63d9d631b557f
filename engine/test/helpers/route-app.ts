import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../src/api/app.js';
import type { RouteDef } from '../../src/api/route.js';
import type { Services } from '../../src/api/services.js';
import { loadConfig } from '../../src/config/config.js';

/** Routes served alone; `close()` ends their connections and the server. */
export interface RouteApp {
  url: string;
  close(): Promise<void>;
}

/**
 * Some routes through the real express app (validation, auth, error envelope, OpenAPI), mounted
 * alone on 127.0.0.1 port 0, for routes that use only the configuration and the logger of the
 * services (scenarios, simulate, compare). app.ts wires them into allRoutes for the engine.
 */
export async function serveRoutes(routesOf: (s: Services) => RouteDef[], env: Record<string, string> = {}): Promise<RouteApp> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const s = { config, log: pino({ level: 'silent' }), version: 'test', startedAt: Date.now() } as unknown as Services;
  const app = createApp(s, routesOf(s));
  const server = await new Promise<Server>((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
