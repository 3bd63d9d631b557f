import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { attachLiveSocket } from '../../src/api/ws.js';
import { call, quickLabSpec, startTestEngine, type TestEngine } from '../helpers/test-engine.js';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t.close();
});

function connect(onMessage?: (data: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(t.url.replace('http', 'ws') + '/ws/metrics');
    // Listen before 'open': the snapshot can arrive in the same packet as the upgrade answer.
    if (onMessage) ws.on('message', (d) => onMessage(String(d)));
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('WS /ws/metrics', () => {
  it('sends a snapshot, then one tick a second for a running test (9-11 in 10 s), then done', async () => {
    const messages: Array<{ type: string; test?: { id: string }; id?: string }> = [];
    const ws = await connect((d) => messages.push(JSON.parse(d)));
    const start = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({ load: { model: 'open', stages: [{ rate: 50, duration: '10s' }] } }));
    const id = start.body.id as string;
    const deadline = Date.now() + 25_000;
    while (!messages.some((m) => m.type === 'done' && m.id === id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    ws.close();
    expect(messages[0].type).toBe('snapshot');
    const ticks = messages.filter((m) => m.type === 'tick' && m.test?.id === id);
    // 10 full windows plus at most one partial last window
    expect(ticks.length).toBeGreaterThanOrEqual(9);
    expect(ticks.length).toBeLessThanOrEqual(11);
    expect(messages.at(-1)).toMatchObject({ type: 'done', id, status: 'finished' });
  }, 40_000);

  it('100 clients that never read are dropped once their backlog passes the cap; memory stays bounded', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const feed = Object.assign(new EventEmitter(), { snapshot: () => [] });
    const cap = 256 * 1024;
    const live = attachLiveSocket(server, feed as never, { maxBufferedBytes: cap });
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/metrics`;
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 100; i++) {
      const ws = await new Promise<WebSocket>((resolve, reject) => {
        const w = new WebSocket(url);
        w.once('open', () => resolve(w));
        w.once('error', reject);
      });
      (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // never reads again
      sockets.push(ws);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(live.clients()).toBe(100);
    const before = process.memoryUsage().rss;
    // 1,000 messages of 20 KB: 20 MB per client, 2 GB in all if nobody were ever dropped.
    const message = { type: 'tick', test: { pad: 'x'.repeat(20_000) } };
    for (let i = 0; i < 1000; i++) {
      feed.emit('message', message);
      if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 300));
    const growth = process.memoryUsage().rss - before;
    expect(live.clients()).toBe(0);
    // Stated bound: 100 clients x (cap + one message + kernel socket buffers) stays under 400 MB;
    // without dropping, this test would need about 2 GB.
    expect(growth).toBeLessThan(400 * 1024 * 1024);
    for (const ws of sockets) ws.terminate();
    await live.close();
    await new Promise((r) => server.close(() => r(undefined)));
  }, 40_000);
});

describe('WS /ws/metrics fault messages', () => {
  it('forwards a fault as it starts and ends', async () => {
    const messages: Array<{ type: string; id?: string; event?: { kind: string; fault: { type: string } } }> = [];
    const ws = await connect((d) => messages.push(JSON.parse(d)));
    const start = await call(t.url, 'POST', '/api/load-test/start', quickLabSpec({
      load: { model: 'open', stages: [{ rate: 50, duration: '3s' }] },
      faults: [{ type: 'errors', pods: ['pod-1'], at: '1s', duration: '1s' }],
    }));
    expect(start.status).toBe(201);
    const id = start.body.id as string;
    const deadline = Date.now() + 20_000;
    while (!messages.some((m) => m.type === 'done' && m.id === id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    ws.close();
    const faults = messages.filter((m) => m.type === 'fault' && m.id === id).map((m) => `${m.event?.kind}:${m.event?.fault.type}`);
    expect(faults).toEqual(['started:errors', 'ended:errors']);
  }, 30_000);
});
