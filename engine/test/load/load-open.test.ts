import { describe, expect, it } from '@jest/globals';
import { NO_POD, type LoadTick } from '../../src/load/load-report.js';
import { startLoad } from '../../src/load/load-run.js';
import { POD_NAMES, roundRobin, serialAnswer, serverPerTest, type Answer } from './test-server.js';

const serve = serverPerTest();

describe('open model over real sockets', () => {
  it('200 req/s for 2 s sends 400 requests (± 2%) in ticks of about 200, attributed per pod', async () => {
    const server = await serve();
    const run = startLoad({ url: server.url, model: { model: 'open', stages: [{ rate: 200, durationMs: 2000 }] } });
    const ticks: number[] = [];
    run.on('tick', (t) => ticks.push(t.requests));
    const r = await run.done;
    expect(r.requests).toBeGreaterThanOrEqual(392);
    expect(r.requests).toBeLessThanOrEqual(408);
    expect(r.errors).toEqual({ connect: 0, timeout: 0, status: 0, reset: 0, other: 0 });
    expect(r.stoppedEarly).toBe(false);
    expect(r.timeline.map((t) => t.second)).toEqual(r.timeline.map((_, i) => i + 1));
    // Whole windows: the schedule wanted exactly 200 in each. Answers are counted in the window
    // they arrive in, and a stall of a busy CI machine can move any number of them across a
    // boundary (65 of 200 was seen), so only the schedule and the total are exact.
    expect(r.timeline[0].scheduled).toBe(200);
    expect(r.timeline[1].scheduled).toBe(200);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(r.requests);
    expect(Object.keys(r.pods).sort()).toEqual(POD_NAMES);
    for (const name of POD_NAMES) expect(Math.abs(r.pods[name].requests - r.requests / 3)).toBeLessThanOrEqual(1);
    expect(r.statusCodes).toEqual({ '200': r.requests });
    expect(r.latency.count).toBe(r.requests);
    expect(r.durationMs).toBeGreaterThanOrEqual(2000);
    expect(r.durationMs).toBeLessThan(4000);
  });

  it('measures from the scheduled time, so a saturated target shows a growing queue (no coordinated omission)', async () => {
    // One request at a time, 10 ms each: 100 req/s of capacity against 200 req/s offered.
    const server = await serve(serialAnswer(10));
    const run = startLoad({
      url: server.url,
      timeoutMs: 8000,
      model: { model: 'open', stages: [{ rate: 200, durationMs: 2000 }] },
    });
    const r = await run.done;
    expect(r.requests).toBe(400);
    expect(r.errors.timeout).toBe(0);
    // A closed-loop measurement would report ~10 ms; the queue makes p99 about 2 s.
    expect(r.latency.p99).toBeGreaterThan(1000);
    expect(r.latency.p50).toBeGreaterThan(300);
    const p50s = r.timeline.filter((t) => t.requests > 20).map((t) => t.latency.p50);
    expect(p50s.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < p50s.length; i++) expect(p50s[i]).toBeGreaterThan(p50s[i - 1]);
    expect(r.timeline[0].inflight).toBeGreaterThan(50);
  });

  it('past maxInflight outstanding requests, due requests are dropped and counted', async () => {
    const server = await serve(() => undefined); // never answers
    const r = await startLoad({
      url: server.url,
      timeoutMs: 1000,
      maxInflight: 5,
      model: { model: 'open', stages: [{ rate: 100, durationMs: 500 }] },
    }).done;
    expect(r.dropped).toBe(45);
    expect(r.requests).toBe(5);
    expect(r.errors.timeout).toBe(5);
    expect(r.pods[NO_POD].errors).toBe(5);
    expect(r.timeline.reduce((a, t) => a + (t.dropped ?? 0), 0)).toBe(45);
  });

  describe('the tail of a run', () => {
    // Every answer takes 50 ms, so the drain after the schedule ends always lasts a little.
    const slow = (): Answer => (req, res, n) => void setTimeout(() => roundRobin(req, res, n), 50);

    it.each([
      ['a schedule of whole seconds', 2000],
      ['a schedule ending mid-second', 2500],
    ])('%s: the drain joins the window before it, so no sliver of a second ends the run', async (_what, durationMs) => {
      const server = await serve(slow());
      const run = startLoad({ url: server.url, model: { model: 'open', stages: [{ rate: 100, durationMs }] } });
      const ticks: LoadTick[] = [];
      run.on('tick', (t) => ticks.push(t));
      const r = await run.done;
      expect(ticks.map((t) => t.second)).toEqual([1, 2]);
      const last = ticks[1];
      expect(last.elapsedMs).toBeGreaterThanOrEqual(durationMs);
      expect(last.elapsedMs).toBeLessThan(durationMs + 1000);
      expect(last.inflight).toBe(0);
      expect(ticks.reduce((a, t) => a + t.requests, 0)).toBe(r.requests);
      expect(last.requests).toBeGreaterThan(50);
    });

    it('a run stopped early ends with a partial window, which says so (elapsedMs below second × 1000)', async () => {
      const server = await serve(slow());
      const run = startLoad({ url: server.url, model: { model: 'open', stages: [{ rate: 100, durationMs: 10_000 }] } });
      const ticks: LoadTick[] = [];
      run.on('tick', (t) => {
        ticks.push(t);
        if (t.second === 1) setTimeout(() => run.stop(), 300);
      });
      const r = await run.done;
      expect(r.stoppedEarly).toBe(true);
      const last = ticks.at(-1)!;
      expect(last.second).toBe(2);
      expect(last.elapsedMs).toBeLessThan(2000);
      expect(ticks.reduce((a, t) => a + t.requests, 0)).toBe(r.requests);
    });
  });
});
