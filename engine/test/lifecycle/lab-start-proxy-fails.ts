// Run as a child process by lifecycle.test.ts: Node's own unhandled-rejection detection, which
// jest's sandbox hides. Prints REJECTED <message> when Lab.start rejects cleanly; an unhandled
// rejection prints UNHANDLED and exits 7.
import { Lab } from '../../src/lab/lab.js';
import { ProxyClient } from '../../src/lab/proxy-client.js';

process.on('unhandledRejection', (reason) => {
  process.stdout.write(`UNHANDLED ${String(reason)}\n`);
  process.exit(7);
});
ProxyClient.start = () => Promise.reject(new Error('proxy failed to start'));
try {
  await Lab.start({ pods: 2, policy: 'round-robin', mode: 'l7' });
  process.stdout.write('STARTED\n');
} catch (err) {
  process.stdout.write(`REJECTED ${(err as Error).message}\n`);
}
await new Promise((r) => setTimeout(r, 100));
process.exit(0);
