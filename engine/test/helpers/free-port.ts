import { createServer } from 'node:net';

/**
 * A port nobody listens on right now: the one the kernel hands out for port 0, taken back at
 * once. For a daemon that must be told its port, or a target that must refuse connections.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
