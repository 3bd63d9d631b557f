import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertSafeToServe } from '../../src/api/server.js';
import { isLoopbackHost, loadConfig } from '../../src/config/config.js';
import { ScaleError } from '../../src/core/errors.js';
import { readYaml, repoPath } from '../observability/repo.js';
import { scaleSync } from '../helpers/scale-cli.js';

/** `scale serve` as a user starts it: what it refuses to do, and how it says so. */
let dir = '';
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'scale-serve-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(args: string[], env: Record<string, string | undefined> = {}) {
  const clean = { ENGINE_TOKEN: undefined, ENGINE_ALLOW_UNAUTHENTICATED: undefined, HOST: undefined, PORT: undefined };
  const r = scaleSync(['serve', '--data-dir', dir, ...args], { timeoutMs: 30_000, env: { ...clean, NO_COLOR: '1', LOG_LEVEL: 'silent', ...env } });
  return { code: r.code, stderr: r.stderr };
}

describe('scale serve refuses to start, with one clear message', () => {
  it('HOST=0.0.0.0 without ENGINE_TOKEN: an open API on the network is refused, saying why and how to opt in', () => {
    const r = serve([], { HOST: '0.0.0.0', PORT: '0' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scale: refusing to serve an open API on 0.0.0.0: HOST is not a loopback address and ENGINE_TOKEN is not set');
    expect(r.stderr).toContain('could start load tests against the allow-list');
    expect(r.stderr).toContain('ENGINE_ALLOW_UNAUTHENTICATED (--allow-unauthenticated)');
    expect(r.stderr).toContain('hint: fix the fields above; `scale serve --help`');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a port already in use is one line, not a stack trace', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const r = serve(['--host', '127.0.0.1', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`scale: cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(r.stderr).toContain('PORT (--port): choose another port, or 0 for any free one');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('a malformed ENGINE_ALLOWED_TARGETS entry is refused at start, naming it', () => {
    const r = serve(['--port', '0'], { HOST: '127.0.0.1', ENGINE_ALLOWED_TARGETS: '127.0.0.0/8,10.0.0.0/33,not a host' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ENGINE_ALLOWED_TARGETS: "10.0.0.0/33": the prefix length must be 0-32');
    expect(r.stderr).toContain('ENGINE_ALLOWED_TARGETS: "not a host": not an address, a CIDR or a host name');
  });
});

describe('the rules behind it', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['my-host.example', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('a token, or the explicit opt-in, lets the engine serve beyond loopback', () => {
    const base = { HOST: '0.0.0.0', LOG_LEVEL: 'silent' };
    expect(() => assertSafeToServe(loadConfig(base))).toThrow(ScaleError);
    expect(() => assertSafeToServe(loadConfig({ ...base, ENGINE_TOKEN: 't' }))).not.toThrow();
    expect(() => assertSafeToServe(loadConfig({ ...base, ENGINE_ALLOW_UNAUTHENTICATED: 'true' }))).not.toThrow();
    expect(() => assertSafeToServe(loadConfig({ ...base, ENGINE_ALLOW_UNAUTHENTICATED: 'false' }))).toThrow(ScaleError);
  });

  it('the container image alone refuses to serve without a token; the compose stack opts in explicitly', () => {
    // The runtime ENV of engine/Dockerfile: HOST=0.0.0.0 (a container must listen beyond loopback).
    const dockerfile = readFileSync(repoPath('engine/Dockerfile'), 'utf8');
    const env: Record<string, string> = {};
    for (const m of dockerfile.slice(dockerfile.lastIndexOf('FROM ')).matchAll(/^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$/gm)) env[m[1]] = m[2];
    expect(env.HOST).toBe('0.0.0.0');
    expect(() => assertSafeToServe(loadConfig({ ...env, DATA_DIR: dir }))).toThrow(/refusing to serve an open API on 0.0.0.0/);
    // docker-compose.yml's engine service: ENGINE_TOKEN from the environment (may be empty) and the explicit opt-in.
    const engine = (readYaml('docker-compose.yml').services as Record<string, { environment: Record<string, string> }>).engine.environment;
    const withCompose = { ...env, ...engine, ENGINE_TOKEN: '' };
    expect(() => assertSafeToServe(loadConfig({ ...withCompose, DATA_DIR: dir }))).not.toThrow();
  });

  it.each([
    ['127.0.0.0/8,::1', []],
    ['127.0.0.1, localhost, demo.svc.cluster.local, fd00::/8', []],
    ['10.0.0.0/33', ['"10.0.0.0/33": the prefix length must be 0-32']],
    ['::1/129', ['"::1/129": the prefix length must be 0-128']],
    ['foo/8', ['"foo/8": a CIDR needs an IP address before the "/"']],
    ['127.0.0.1/', ['"127.0.0.1/": the prefix length must be 0-32']],
    ['http://127.0.0.1', ['"http://127.0.0.1": a URL: give its host name or address alone']],
    [',', ['",": no entries (use e.g. 127.0.0.0/8,::1)']],
  ])('ENGINE_ALLOWED_TARGETS=%j', (value, problems) => {
    let got: string[] = [];
    try {
      loadConfig({ ENGINE_ALLOWED_TARGETS: value });
    } catch (err) {
      got = (err as ScaleError).details.map((d) => d.message);
    }
    expect(got).toEqual(problems);
  });
});
