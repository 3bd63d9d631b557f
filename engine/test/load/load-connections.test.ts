import { describe, expect, it } from '@jest/globals';
import { startLoad } from '../../src/load/load-run.js';
import { serverPerTest } from './test-server.js';

const serve = serverPerTest();

describe('connection handling', () => {
  it('keepAlive off opens one connection per request', async () => {
    const server = await serve();
    const r = await startLoad({
      url: server.url,
      keepAlive: false,
      model: { model: 'open', stages: [{ rate: 100, durationMs: 1000 }] },
    }).done;
    expect(r.requests).toBe(100);
    expect(r.errors.reset + r.errors.other).toBe(0);
    expect(server.connections).toBeGreaterThanOrEqual(98);
    expect(server.connections).toBeLessThanOrEqual(101);
  });

  it('keepAlive with maxConnections 2 never uses more than 2 connections', async () => {
    const server = await serve();
    const r = await startLoad({
      url: server.url,
      keepAlive: true,
      maxConnections: 2,
      model: { model: 'closed', users: 8, spawnRate: 1000, durationMs: 500 },
    }).done;
    expect(r.requests).toBeGreaterThan(16);
    expect(r.errors.reset + r.errors.other + r.errors.timeout).toBe(0);
    expect(server.connections).toBeGreaterThanOrEqual(1);
    expect(server.connections).toBeLessThanOrEqual(2);
  });

  it('requestsPerConnection replaces a connection after that many requests', async () => {
    const server = await serve();
    const r = await startLoad({
      url: server.url,
      maxConnections: 1,
      requestsPerConnection: 10,
      model: { model: 'closed', users: 1, spawnRate: 1000, durationMs: 10_000, iterations: 50 },
    }).done;
    expect(r.requests).toBe(50);
    expect(r.errors.reset + r.errors.other).toBe(0);
    expect(server.connections).toBe(5);
  });
});
