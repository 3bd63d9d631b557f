import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

/**
 * `scale run` as a user runs it, where there is nothing to judge: a target that is down, a pod
 * header that no response carries, a rate of 0. None of them may pass for an even spread: exit 1,
 * a verdict of no-data and a reason that names the cause.
 */
const bin = fileURLToPath(new URL('../../bin/scale.js', import.meta.url));
function scale(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, SCALE_FROM_SOURCE: '1', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on: one the kernel just handed out and took back. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

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
    const r = await scale(['run', '--url', `http://127.0.0.1:${await closedPort()}/`, '--model', 'open', '--rate', '50', '--duration', '1s', '--json']);
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
