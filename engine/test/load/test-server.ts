import { afterEach } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on 127.0.0.1:0 for the load tests; counts connections and requests. */
export interface TestServer {
  url: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  /** Requests received so far. */
  requests: number;
  close(): Promise<void>;
}

/** How the server answers request number `n` (0-based); by default 200 at once. */
export type Answer = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

export const POD_NAMES = ['pod-a', 'pod-b', 'pod-c'];

/** Answers 200 with `x-scale-pod` set from a round-robin of POD_NAMES. */
export const roundRobin: Answer = (_req, res, n) => {
  res.setHeader('x-scale-pod', POD_NAMES[n % POD_NAMES.length]);
  res.end('ok');
};

export async function startTestServer(answer: Answer = roundRobin): Promise<TestServer> {
  const server = http.createServer();
  const state: TestServer = {
    url: '',
    port: 0,
    connections: 0,
    requests: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.keepAliveTimeout = 10_000;
  server.on('connection', () => state.connections++);
  server.on('request', (req, res) => answer(req, res, state.requests++));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}/`;
  return state;
}

/**
 * A server that serves one request at a time (FIFO) with a fixed service time: past
 * 1000/serviceMs req/s its queue, and so the latency, grows without bound.
 */
export function serialAnswer(serviceMs: number): Answer {
  const queue: http.ServerResponse[] = [];
  let busy = false;
  const next = (): void => {
    const res = queue.shift();
    if (!res) {
      busy = false;
      return;
    }
    busy = true;
    setTimeout(() => {
      res.setHeader('x-scale-pod', 'serial');
      res.end('ok');
      next();
    }, serviceMs);
  };
  return (_req, res) => {
    queue.push(res);
    if (!busy) next();
  };
}

/**
 * For a test file whose tests each start one server: returns the starter and registers an
 * afterEach that closes the server the test started.
 */
export function serverPerTest(): (answer?: Answer) => Promise<TestServer> {
  let current: TestServer | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (answer) => (current = await startTestServer(answer));
}
