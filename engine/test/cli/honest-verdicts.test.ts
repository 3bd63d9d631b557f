import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../helpers/free-port.js';
import { scale as scaleCli } from '../helpers/scale-cli.js';

/**
 * `scale run` as a user runs it, where there is nothing to judge: a target that is down, a pod
 * header that no response carries, a rate of 0. None of them may pass for an even spread: exit 1,
 * a verdict of no-data and a reason that names the cause.
 */
const scale = (args: string[]) => scaleCli(args, { env: { NO_COLOR: '1' } });


describe('scale run with nothing to judge', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Answers every request, naming its pod in a header other than the one the run reads.
    server = createServer((_req, res) => res.writeHead(200, { 'x-served-by': 'web-1' }).end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('a URL where nothing listens: exit 1, no-data, and the reason names the refused connections', async () => {
    const r = await scale(['run', '--url', `http://127.0.0.1:${await freePort()}/`, '--model', 'open', '--rate', '50', '--duration', '1s', '--json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.balance.verdict).toBe('no-data');
    expect(result.balance.score).toBe(0);
    expect(result.balance.reason).toMatch(/every request failed without a response \(connect \d+/);
    expect(result.thresholds.find((t: { name: string }) => t.name === 'balance')).toMatchObject({ pass: false, reason: result.balance.reason });
    expect(result.thresholds.find((t: { name: string }) => t.name === 'responses')).toMatchObject({ pass: false });
  }, 60_000);

  it('a pod header that no response carries: exit 1, and the report names the header', async () => {
    const r = await scale(['run', '--url', url, '--pod-header', 'x-scale-pod', '--model', 'open', '--rate', '50', '--duration', '1s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/no-data/);
    expect(r.stdout).toMatch(/carried no "x-scale-pod" header/);
    expect(r.stdout).toMatch(/✗ balance/);
  }, 60_000);

  it('a rate of 0: exit 1, nothing was sent', async () => {
    const r = await scale(['run', '--pods', '2', '--model', 'open', '--rate', '0', '--duration', '1s', '--json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.totals.requests).toBe(0);
    expect(result.balance).toMatchObject({ verdict: 'no-data', score: 0 });
    expect(result.balance.reason).toMatch(/no request was sent/);
  }, 60_000);
});
