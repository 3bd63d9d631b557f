import { describe, expect, it } from '@jest/globals';
import { NO_POD, UNKNOWN_POD } from '../../src/load/load-report.js';
import { startLoad } from '../../src/load/load-run.js';
import { freePort } from '../helpers/free-port.js';
import { serverPerTest } from './test-server.js';

const serve = serverPerTest();

const tenRequests = { model: 'open' as const, stages: [{ rate: 20, durationMs: 500 }] };

describe('errors by kind and attribution', () => {
  it('a refused port counts as connect errors with no pod', async () => {
    const port = await freePort();
    const r = await startLoad({ url: `http://127.0.0.1:${port}/`, model: tenRequests }).done;
    expect(r.requests).toBe(10);
    expect(r.errors).toEqual({ connect: 10, timeout: 0, status: 0, reset: 0, other: 0 });
    expect(r.pods[NO_POD]).toMatchObject({ requests: 10, errors: 10 });
    expect(r.latency.count).toBe(0);
  });

  it('a server that never answers gives timeouts after timeoutMs', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const r = await startLoad({ url: server.url, timeoutMs: 200, model: tenRequests }).done;
    expect(r.errors).toEqual({ connect: 0, timeout: 10, status: 0, reset: 0, other: 0 });
    expect(r.pods[NO_POD].errors).toBe(10);
    // The last request is sent at 450 ms and must be given up about 200 ms later.
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('requests still waiting for a busy connection time out too, and the run still ends', async () => {
    const server = await serve(() => undefined);
    const r = await startLoad({ url: server.url, timeoutMs: 200, maxConnections: 1, model: tenRequests }).done;
    expect(r.requests).toBe(10);
    expect(r.errors.timeout).toBe(10);
    // One connection at a time: an aborted request takes its connection down, and the next
    // request still waiting gets a new one (an abort during a connect may cost one more).
    expect(server.connections).toBeGreaterThanOrEqual(2);
    expect(server.connections).toBeLessThanOrEqual(12);
    expect(server.requests).toBeLessThanOrEqual(10);
  });

  it('503 answers are status errors, counted by code and attributed to their pod', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 503;
      res.setHeader('x-scale-pod', 'pod-busy');
      res.end('busy');
    });
    const r = await startLoad({ url: server.url, model: tenRequests }).done;
    expect(r.errors).toEqual({ connect: 0, timeout: 0, status: 10, reset: 0, other: 0 });
    expect(r.statusCodes).toEqual({ '503': 10 });
    expect(r.pods['pod-busy']).toMatchObject({ requests: 10, errors: 10 });
    expect(r.latency.count).toBe(10);
  });

  it('attributes by the pod header; a missing header is UNKNOWN_POD, no response is NO_POD (reset)', async () => {
    const server = await serve((req, res, n) => {
      if (n % 3 === 0) res.setHeader('X-Scale-Pod', 'pod-a');
      if (n % 3 === 2) req.socket.destroy();
      else res.end('ok');
    });
    const r = await startLoad({ url: server.url, model: { model: 'open', stages: [{ rate: 60, durationMs: 500 }] } }).done;
    expect(r.requests).toBe(30);
    expect(r.pods['pod-a']).toMatchObject({ requests: 10, errors: 0 });
    expect(r.pods[UNKNOWN_POD]).toMatchObject({ requests: 10, errors: 0 });
    expect(r.pods[NO_POD]).toMatchObject({ requests: 10, errors: 10 });
    expect(r.errors.reset).toBe(10);
  });

  it('a custom podHeader is read case-insensitively', async () => {
    const server = await serve((_req, res) => {
      res.setHeader('X-Backend', 'b1');
      res.end();
    });
    const r = await startLoad({ url: server.url, podHeader: 'x-backend', model: tenRequests }).done;
    expect(r.pods).toEqual({ b1: expect.objectContaining({ requests: 10 }) });
  });

  it('rejects invalid options with every problem at once', () => {
    expect(() =>
      startLoad({
        url: 'ftp://x',
        maxConnections: 0,
        workers: 1.5,
        model: { model: 'open', stages: [{ rate: -1, durationMs: 0 }] },
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_input', details: expect.arrayContaining([expect.objectContaining({ path: 'url' })]) }));
    try {
      startLoad({ url: 'ftp://x', maxConnections: 0, workers: 1.5, model: { model: 'open', stages: [{ rate: -1, durationMs: 0 }] } });
    } catch (e) {
      expect((e as { details: Array<{ path: string }> }).details.map((d) => d.path)).toEqual([
        'url',
        'maxConnections',
        'workers',
        'model.stages.0.rate',
        'model.stages.0.durationMs',
      ]);
    }
  });
});
