import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { bearerOf, tokenMatches } from './auth.js';
import type { LiveFeed, LiveMessage } from './live-feed.js';

export interface LiveSocketOptions {
  /** Bearer token required to connect (header, or `access_token` query for browsers). */
  token?: string;
  /** A client whose unsent data exceeds this is dropped: slow clients never grow memory. */
  maxBufferedBytes?: number;
  /** Ping interval; a client that misses a pong is dropped. */
  heartbeatMs?: number;
}

/**
 * WS /ws/metrics: a snapshot on connect (running tests and firing alerts), then one message per
 * running test per second, a final message when a test ends, and `fault`, `event` and `alert` messages as
 * they happen. Returns a closer.
 */
export function attachLiveSocket(server: Server, feed: Pick<LiveFeed, 'on' | 'off' | 'snapshot'> & Partial<Pick<LiveFeed, 'activeAlerts'>>, o: LiveSocketOptions = {}): { close(): Promise<void>; clients(): number } {
  const maxBuffered = o.maxBufferedBytes ?? 1024 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws/metrics') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (o.token && !tokenMatches(bearerOf(req.headers.authorization) ?? url.searchParams.get('access_token') ?? undefined, o.token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  const send = (ws: WebSocket, data: string) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > maxBuffered) {
      ws.terminate();
      return;
    }
    ws.send(data);
  };

  wss.on('connection', (ws) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    // Clients only listen; anything they send is ignored.
    send(ws, JSON.stringify({ type: 'snapshot', tests: feed.snapshot(), alerts: feed.activeAlerts?.() ?? [] } satisfies LiveMessage));
  });

  const onMessage = (m: LiveMessage) => {
    if (m.type === 'status' || wss.clients.size === 0) return;
    const data = JSON.stringify(m); // once per message, not once per client
    for (const ws of wss.clients) send(ws, data);
  };
  feed.on('message', onMessage);

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, o.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    clients: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        feed.off('message', onMessage);
        server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.close(1001, 'engine shutting down');
        setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
          wss.close(() => resolve());
        }, 100);
      }),
  };
}
