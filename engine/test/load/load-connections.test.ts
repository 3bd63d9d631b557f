import { describe, expect, it } from '@jest/globals';
import { startLoad } from '../../src/load/load-run.js';
import { clientAddress } from '../../src/core/client-address.js';
import { roundRobin, serverPerTest, type Answer } from './test-server.js';

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

  it('below saturation every open connection carries traffic: idle connections are reused in turn', async () => {
    const perConnection = new Map<unknown, number>();
    const server = await serve((req, res, n) => {
      perConnection.set(req.socket, (perConnection.get(req.socket) ?? 0) + 1);
      // the first 4 requests are held together so that 4 connections open; the rest answer at once
      if (n < 4) setTimeout(() => roundRobin(req, res, n), 100);
      else roundRobin(req, res, n);
    });
    const r = await startLoad({
      url: server.url,
      keepAlive: true,
      maxConnections: 4,
      model: { model: 'open', stages: [{ rate: 400, durationMs: 10 }, { rate: 100, durationMs: 1000 }] },
    }).done;
    expect(r.errors.reset + r.errors.other + r.errors.timeout).toBe(0);
    expect(server.connections).toBe(4);
    // 100 light requests over 4 connections: 25 each in turn; a most-recently-used stack gave one ~all
    for (const count of perConnection.values()) expect(count).toBeGreaterThan(15);
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

describe('distinct virtual clients (core/client-address.ts)', () => {
  /** Answers as roundRobin, recording the source address of each request. */
  const recording = (seen: Map<string, number>): Answer => (req, res, n) => {
    const a = req.socket.remoteAddress ?? '';
    seen.set(a, (seen.get(a) ?? 0) + 1);
    roundRobin(req, res, n);
  };

  it('closed model: each user sends from an address of its own, on a connection of its own', async () => {
    const seen = new Map<string, number>();
    const server = await serve(recording(seen));
    const r = await startLoad({ url: server.url, maxConnections: 64, model: { model: 'closed', users: 10, spawnRate: 1000, durationMs: 500 } }).done;
    expect(r.requests).toBeGreaterThan(20);
    expect([...seen.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => clientAddress(i)).sort());
    expect(server.connections).toBe(10);
  });

  it('open model: each connection of the pool is a client (at most maxConnections addresses); off: one address', async () => {
    const seen = new Map<string, number>();
    const server = await serve(recording(seen));
    await startLoad({ url: server.url, maxConnections: 4, model: { model: 'open', stages: [{ rate: 400, durationMs: 500 }] } }).done;
    expect(seen.size).toBeGreaterThanOrEqual(1);
    expect(seen.size).toBeLessThanOrEqual(4);
    for (const a of seen.keys()) expect([0, 1, 2, 3].map(clientAddress)).toContain(a);
    seen.clear();
    await startLoad({ url: server.url, distinctClients: false, model: { model: 'closed', users: 5, spawnRate: 1000, durationMs: 300 } }).done;
    expect([...seen.keys()]).toEqual(['127.0.0.1']);
  });
});
