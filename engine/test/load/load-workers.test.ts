import { describe, expect, it } from '@jest/globals';
import type { LoadReport } from '../../src/load/load-report.js';
import { startLoad } from '../../src/load/load-run.js';
import { POD_NAMES, serverPerTest } from './test-server.js';

const serve = serverPerTest();

const model = { model: 'open' as const, stages: [{ rate: 150, durationMs: 1000 }, { rate: 250, durationMs: 1000, ramp: true }] };

describe('worker threads', () => {
  it('2 workers send the same schedule as 1 and merge into the same report shape', async () => {
    const server = await serve();
    const one = await startLoad({ url: server.url, model, workers: 1 }).done;
    const run = startLoad({ url: server.url, model, workers: 2 });
    let ticks = 0;
    run.on('tick', () => ticks++);
    const two = await run.done;
    expect(two.workers).toBe(2);
    expect(one.workers).toBe(1);
    // The schedule holds 150 + 200 = 350 requests; both runs must send exactly those.
    for (const r of [one, two]) {
      expect(r.requests).toBe(350);
      expect(r.errors).toEqual({ connect: 0, timeout: 0, status: 0, reset: 0, other: 0 });
      expect(r.timeline[0].scheduled).toBe(150);
      expect(r.timeline[1].scheduled).toBe(200);
      expect(sum(r, (t) => t.requests)).toBe(350);
      expect(Object.keys(r.pods).sort()).toEqual(POD_NAMES);
      expect(Object.values(r.pods).reduce((a, p) => a + p.requests, 0)).toBe(350);
      expect(r.latency.count).toBe(350);
    }
    expect(ticks).toBe(two.timeline.length);
    expect(two.timeline.map((t) => t.second)).toEqual(two.timeline.map((_, i) => i + 1));
    expect(Math.abs(two.timeline[0].requests - 150)).toBeLessThan(50);
  });

  it('stop() reaches every worker', async () => {
    const server = await serve();
    const run = startLoad({ url: server.url, workers: 2, model: { model: 'closed', users: 4, spawnRate: 100, durationMs: 30_000 } });
    run.on('tick', () => run.stop());
    const r = await run.done;
    expect(r.stoppedEarly).toBe(true);
    expect(r.requests).toBeGreaterThan(0);
    expect(r.requests).toBe(server.requests);
    expect(r.durationMs).toBeLessThan(4000);
  });
});

function sum(r: LoadReport, f: (t: LoadReport['timeline'][number]) => number): number {
  return r.timeline.reduce((a, t) => a + f(t), 0);
}
