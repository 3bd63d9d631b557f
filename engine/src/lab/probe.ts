import { get } from 'node:http';
import { HEALTH_PATH } from './pod-server.js';

/**
 * One health probe: `GET /healthz` on a fresh connection (never a pooled one, which may be the
 * very connection that broke). Resolves true on a 200 within `timeoutMs`, false otherwise.
 */
export function probeHealth(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: HEALTH_PATH, agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('probe timeout')));
    req.on('error', () => resolve(false));
  });
}
