import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { WebSocketServer } from 'ws';
import { EngineClient } from '../../src/cli/engine-client.js';
import { WorkerChannel } from '../../src/lab/worker-rpc.js';
import type { RunProblem } from '../../src/runs/run-events.js';
import { TestRun } from '../../src/runs/test-run.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { compareScores, DEFAULT_OBJECTIVE, type Score } from '../../src/analysis/objective.js';
import { scriptedHarness, scriptedReport, scriptedTick } from '../helpers/scripted-load.js';

/**
 * Item 7: every failure ends in a clear error, never an unhandled rejection, a hang or a leak.
 * (Jest's sandbox hides Node's unhandled-rejection event, so that check runs in a child process.)
 */
afterEach(() => {
  jest.restoreAllMocks();
});

describe('the lab and its workers', () => {
  it('a proxy worker that fails before the pods are up rejects Lab.start, with no unhandled rejection', () => {
    const script = fileURLToPath(new URL('./lab-start-proxy-fails.ts', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
    expect({ code: r.status, out: r.stdout.trim() }).toEqual({ code: 0, out: 'REJECTED proxy failed to start' });
  });

  it('a worker that reports a fatal error is terminated', async () => {
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    await expect(WorkerChannel.open(new URL('./fatal-worker.js', import.meta.url), {})).rejects.toThrow('setup failed on purpose');
    expect(terminate).toHaveBeenCalledTimes(1);
  });
});

/** A scripted run over two lab pods that are always eligible, with its problems collected. */
function twoPodRun(duration: string) {
  const spec = parseTestSpec({ target: { kind: 'lab', pods: 2 }, load: { model: 'open', rate: 10, duration } });
  const h = scriptedHarness(() => [{ name: 'pod-1', eligible: true }, { name: 'pod-2', eligible: true }]);
  const run = new TestRun(spec, h.deps);
  const problems: RunProblem[] = [];
  run.on('problem', (p) => problems.push(p));
  return { h, run, problems };
}

describe('a run', () => {
  it('a window that fails to score is reported as a problem, and the next windows go on', async () => {
    const { h, run, problems } = twoPodRun('3s');
    const seen: number[] = [];
    run.on('tick', (t) => {
      seen.push(t.elapsed);
      if (t.elapsed === 1) throw new Error('a subscriber broke');
    });
    await run.start();
    h.load.emit('tick', scriptedTick(1, { 'pod-1': 5, 'pod-2': 5 }));
    h.load.emit('tick', scriptedTick(2, { 'pod-1': 5, 'pod-2': 5 }));
    h.load.finish(scriptedReport(2, { 'pod-1': 10, 'pod-2': 10 }));
    const r = await run.finished;
    expect(seen).toEqual([1, 2]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ op: 'tick', elapsed: 1 });
    expect(String(problems[0].error)).toContain('a subscriber broke');
    expect(r.timeline).toHaveLength(2);
  });
});

describe('a run always ends', () => {
  it('a done subscriber that throws is reported; the others still hear it and `finished` settles', async () => {
    const { h, run, problems } = twoPodRun('1s');
    const heard: string[] = [];
    run.on('done', () => {
      throw new Error('a store that broke');
    });
    run.once('done', (r) => void heard.push(r.status));
    await run.start();
    h.load.finish(scriptedReport(1, { 'pod-1': 5, 'pod-2': 5 }));
    await expect(run.finished).resolves.toMatchObject({ status: 'finished' });
    expect(heard).toEqual(['finished']);
    expect(problems.map((p) => [p.op, String(p.error)])).toEqual([['listener', 'Error: a store that broke']]);
    expect(run.listenerCount('done')).toBe(1);
  });
});

describe('the tail of a run', () => {
  it('a partial last window (a run stopped early) is labelled partial in the timeline; whole ones are not', async () => {
    const spec = parseTestSpec({ target: { kind: 'lab', pods: 2 }, load: { model: 'open', rate: 10, duration: '10s' } });
    const h = scriptedHarness(() => [{ name: 'pod-1', eligible: true }, { name: 'pod-2', eligible: true }]);
    const run = new TestRun(spec, h.deps);
    await run.start();
    h.load.emit('tick', scriptedTick(1, { 'pod-1': 5, 'pod-2': 5 }));
    h.load.emit('tick', { ...scriptedTick(2, { 'pod-1': 3, 'pod-2': 2 }), elapsedMs: 1400 });
    h.load.finish(scriptedReport(1.4, { 'pod-1': 8, 'pod-2': 7 }));
    const r = await run.finished;
    expect(r.timeline.map((p) => [p.t, p.partial ?? false])).toEqual([[1, false], [1.4, true]]);
    expect(r.timeline[1].rps).toBeCloseTo(5 / 0.4, 6);
  });
});

describe('one definition of utilisation', () => {
  it("a pod's utilisation is its busy time per slot over the time it was eligible, as the run's utilisation score judges it", async () => {
    const spec = parseTestSpec({ target: { kind: 'lab', pods: 3 }, load: { model: 'open', rate: 10, duration: '3s' } });
    let second = 0;
    // Every pod busy half of each second it is in rotation (2 slots each); pod-3 joins at the second window.
    const h = scriptedHarness(() => [
      { name: 'pod-1', eligible: true, busyMs: 1000 * second, concurrency: 2 },
      { name: 'pod-2', eligible: true, busyMs: 1000 * second, concurrency: 2 },
      { name: 'pod-3', eligible: second >= 2, busyMs: 1000 * Math.max(0, second - 1), concurrency: 2 },
    ]);
    const run = new TestRun(spec, h.deps);
    await run.start();
    for (second = 1; second <= 3; second++) {
      h.load.emit('tick', scriptedTick(second, second === 1 ? { 'pod-1': 5, 'pod-2': 5 } : { 'pod-1': 5, 'pod-2': 5, 'pod-3': 5 }));
      await new Promise((r) => setImmediate(r));
    }
    h.load.finish(scriptedReport(3, { 'pod-1': 15, 'pod-2': 15, 'pod-3': 10 }));
    const r = await run.finished;
    expect(r.pods.map((p) => [p.name, p.utilisation])).toEqual([['pod-1', 0.5], ['pod-2', 0.5], ['pod-3', 0.5]]);
    expect(r.balance.utilisation).toBeCloseTo(1, 6);
  });
});

describe('the CLI engine client', () => {
  let http: Server | undefined;
  afterEach(async () => {
    http?.closeAllConnections();
    await new Promise((r) => (http ? http.close(r) : r(undefined)));
    http = undefined;
  });

  /** A fake engine: `onSocket` decides what the live stream does; start answers id t1, results t1. */
  async function fakeEngine(onSocket: (ws: import('ws').WebSocket) => void, upgrade = true): Promise<string> {
    http = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url === '/api/load-test/start') return void res.end(JSON.stringify({ id: 't1', status: 'running' }));
      if (req.url === '/api/results/t1') return void res.end(JSON.stringify({ id: 't1', status: 'finished' }));
      res.statusCode = 404;
      res.end('{}');
    });
    const wss = new WebSocketServer({ noServer: true });
    http.on('upgrade', (req, socket, head) => {
      if (!upgrade) return void socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      wss.handleUpgrade(req, socket, head, onSocket);
    });
    http.on('close', () => wss.close());
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  const spec = { load: { model: 'open' as const, rate: 1, duration: '1s' } };

  it.each([
    ['the stream closes before its first snapshot', (ws: import('ws').WebSocket) => ws.close(1011), true, /closed \(1011\) before its first snapshot/],
    ['the upgrade is refused', () => undefined, false, /live stream .* failed: Unexpected server response: 401/],
    ['the stream closes before the test ends', (ws: import('ws').WebSocket) => {
      ws.send(JSON.stringify({ type: 'snapshot', tests: [] }));
      setTimeout(() => ws.close(1001), 100);
    }, true, /live stream closed before test t1 ended/],
  ] as Array<[string, (ws: import('ws').WebSocket) => void, boolean, RegExp]>)('%s: a clear error, no hang', async (_what, onSocket, upgrade, message) => {
    const url = await fakeEngine(onSocket, upgrade);
    await expect(new EngineClient(url).runAndWatch(spec, () => undefined)).rejects.toThrow(message);
  });

  it('a normal run resolves with the stored Result', async () => {
    const url = await fakeEngine((ws) => {
      ws.send(JSON.stringify({ type: 'snapshot', tests: [] }));
      setTimeout(() => ws.send(JSON.stringify({ type: 'done', id: 't1' })), 100);
    });
    await expect(new EngineClient(url).runAndWatch(spec, () => undefined)).resolves.toEqual({ id: 't1', status: 'finished' });
  });
});

describe('the tuner ranking', () => {
  it('orders consistently: ties in bands, so no three settings form a cycle', () => {
    const score = (balance: number, p99Ms: number): Score => ({ balance, balanceKind: 'utilisation', countScore: balance, utilisation: balance, p50Ms: 1, p99Ms, errorRate: 0, requests: 1000 });
    // Within 0.01 pairwise (a≈b, b≈c) but not a≈c: a "closer than the tolerance" tie would cycle.
    const a = score(0.95, 1);
    const b = score(0.957, 2);
    const c = score(0.964, 3);
    const cmp = (x: Score, y: Score) => compareScores(x, y, DEFAULT_OBJECTIVE);
    const all = [a, b, c];
    for (const x of all) for (const y of all) for (const z of all) {
      if (cmp(x, y) < 0 && cmp(y, z) < 0) expect(cmp(x, z)).toBeLessThan(0);
      expect(Math.sign(cmp(x, y))).toBe(-Math.sign(cmp(y, x)) || 0);
    }
    const orders = [[a, b, c], [c, b, a], [b, a, c], [c, a, b]].map((o) => [...o].sort(cmp).map((s) => s.p99Ms));
    expect(new Set(orders.map((o) => o.join()))).toEqual(new Set(['2,3,1']));
  });
});
