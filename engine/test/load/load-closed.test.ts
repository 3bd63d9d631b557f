import { describe, expect, it } from '@jest/globals';
import { startLoad } from '../../src/load/load-run.js';
import { serverPerTest } from './test-server.js';

const serve = serverPerTest();

describe('closed model over real sockets', () => {
  it('starts users at the spawn rate, and the ramp shows in the ticks', async () => {
    const server = await serve();
    // Users start at 0, 500, 1000 and 1500 ms; each sends about 40 req/s with 25 ms think time.
    const run = startLoad({
      url: server.url,
      seed: 1,
      model: { model: 'closed', users: 4, spawnRate: 2, durationMs: 3000, thinkTime: { kind: 'fixed', ms: 25 } },
    });
    const ticks = await collect(run);
    const r = await run.done;
    expect(ticks[0].users).toBe(2);
    expect(ticks[1].users).toBe(4);
    expect(ticks[ticks.length - 1].users).toBe(0);
    // User-seconds: 1.5 in the first window, 3.5 in the second (2.3x); loose, the machine is shared.
    expect(ticks[1].requests).toBeGreaterThan(1.2 * ticks[0].requests);
    expect(ticks[1].requests).toBeLessThan(5 * ticks[0].requests);
    // "scheduled" counts what was sent; everything sent was answered.
    expect(r.timeline.reduce((a, t) => a + t.scheduled, 0)).toBe(r.requests);
    expect(r.requests).toBe(server.requests);
    expect(r.errors.status + r.errors.connect + r.errors.timeout + r.errors.reset + r.errors.other).toBe(0);
  });

  it('stops each user after its iteration cap and then ends before the duration', async () => {
    const server = await serve();
    const r = await startLoad({
      url: server.url,
      model: { model: 'closed', users: 3, spawnRate: 1000, durationMs: 20_000, iterations: 5 },
    }).done;
    expect(r.requests).toBe(15);
    expect(server.requests).toBe(15);
    expect(r.stoppedEarly).toBe(false);
    expect(r.durationMs).toBeLessThan(5000);
  });

  it('stop() ends early: sends nothing more, drains, and reports stoppedEarly', async () => {
    const server = await serve();
    const run = startLoad({ url: server.url, model: { model: 'closed', users: 8, spawnRate: 100, durationMs: 30_000 } });
    setTimeout(() => run.stop(), 300);
    const r = await run.done;
    expect(r.stoppedEarly).toBe(true);
    expect(r.durationMs).toBeLessThan(3000);
    expect(r.requests).toBeGreaterThan(8);
    expect(r.requests).toBe(server.requests);
    const before = server.requests;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toBe(before);
  });
});

function collect(run: ReturnType<typeof startLoad>): Promise<Array<{ users: number; requests: number }>> {
  const ticks: Array<{ users: number; requests: number }> = [];
  run.on('tick', (t) => ticks.push({ users: t.users, requests: t.requests }));
  return run.done.then(() => ticks);
}
