import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../../src/core/random.js';
import { DEFAULT_POD_BEHAVIOUR, warmupFactor } from '../../src/spec/pod-behaviour.js';
import { sharedCounters } from '../../src/lab/counters.js';
import { PodServer } from '../../src/lab/pod-server.js';
import { agent, get } from './http.js';
import { useCleanup } from './lab-fixture.js';

const track = useCleanup();

/** A pod in this thread with a hand-moved clock for its warm-up (timers stay real). */
async function coldPod(warm: boolean) {
  const clock = { t: 0 };
  const server = new PodServer({
    name: 'pod-9',
    behaviour: { ...DEFAULT_POD_BEHAVIOUR, latency: { kind: 'fixed', ms: 30 }, warmup: { durationMs: 10_000, factor: 4 } },
    random: seededRandom(1),
    counters: sharedCounters(),
    warm,
    now: () => clock.t,
  });
  const port = await server.start();
  track({ close: () => server.stop() });
  const median = async (path = '') => {
    const a = track(agent()); // a fresh pool: a restart drops the old connections
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) ms.push((await get(`http://127.0.0.1:${port}/${path}`, a)).ms);
    return ms.sort((x, y) => x - y)[2];
  };
  return { server, clock, median };
}

describe('pod warm-up (cold start)', () => {
  it('eases linearly from factor to 1 over the duration', () => {
    const w = { durationMs: 10_000, factor: 4 };
    expect([0, 2_500, 5_000, 10_000, 60_000].map((t) => warmupFactor(w, t))).toEqual([4, 3.25, 2.5, 1, 1]);
  });

  // Timers never fire early, so the lower bounds are exact; upper bounds leave 70 ms for a busy machine.
  it('a cold pod serves factor x slower at first, normally after the duration; ?delay= is not scaled', async () => {
    const { clock, median } = await coldPod(false);
    expect(await median()).toBeGreaterThanOrEqual(120);
    clock.t = 5_000;
    const mid = await median();
    expect(mid).toBeGreaterThanOrEqual(75);
    expect(mid).toBeLessThan(120 + 70);
    expect(await median('?delay=10ms')).toBeLessThan(80);
    clock.t = 10_000;
    expect(await median()).toBeLessThan(30 + 70);
  });

  it("a lab's initial pod is warm at its first start and cold after a restart", async () => {
    const { server, clock, median } = await coldPod(true);
    expect(await median()).toBeLessThan(30 + 70);
    clock.t = 50_000;
    await server.stop();
    await server.start();
    expect(await median()).toBeGreaterThanOrEqual(120);
  });
});
