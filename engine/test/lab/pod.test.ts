import { describe, expect, it } from '@jest/globals';
import type { Agent } from 'undici';
import { OVERRIDE_CAPS } from '../../src/lab/overrides.js';
import { DEFAULT_POD_BEHAVIOUR, type PodBehaviour } from '../../src/spec/pod-behaviour.js';
import { PodClient } from '../../src/lab/pod-client.js';
import { agent, get, getMany, waitFor } from './http.js';
import { useCleanup } from './lab-fixture.js';

const track = useCleanup();

async function pod(b: Partial<PodBehaviour> = {}, seed = 1, name = 'pod-1'): Promise<{ p: PodClient; a: Agent }> {
  const p = track(await PodClient.start(name, { ...DEFAULT_POD_BEHAVIOUR, ...b }, seed));
  return { p, a: track(agent()) };
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

describe('pod server', () => {
  it('answers with x-scale-pod and the configured body size; /healthz bypasses the queue', async () => {
    const { p, a } = await pod({ responseBytes: 100, concurrency: 1, latency: { kind: 'fixed', ms: 400 } });
    const order: string[] = [];
    const slow = get(`${p.url}anything`, a).then((r) => (order.push('request'), r));
    expect(await waitFor(() => p.read().inService === 1)).toBe(true);
    const health = await get(`${p.url}healthz`, a).then((r) => (order.push('health'), r));
    expect(health).toMatchObject({ status: 200, pod: 'pod-1', body: 'ok\n' });
    const r = await slow;
    expect(order).toEqual(['health', 'request']);
    expect(r.status).toBe(200);
    expect(r.pod).toBe('pod-1');
    expect(r.body).toHaveLength(100);
    expect(p.read()).toMatchObject({ served: 1, errors: 0, up: true, concurrency: 1 });
  });

  it('draws the service time from the distribution (fixed:20ms → median 20–35 ms)', async () => {
    const { p, a } = await pod({ latency: { kind: 'fixed', ms: 20 } });
    // Interleaved zero-delay requests measure the round trip itself, so a loaded machine's
    // scheduling delay cancels out of the service-time estimate.
    const served: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < 15; i++) {
      served.push((await get(p.url, a)).ms);
      baseline.push((await get(`${p.url}?delay=0ms`, a)).ms);
    }
    const service = median(served) - median(baseline);
    expect(service).toBeGreaterThanOrEqual(19);
    expect(service).toBeLessThanOrEqual(35);
    const inPod = p.read().busyMs / 15; // only the 20 ms requests hold a service slot
    expect(inPod).toBeGreaterThanOrEqual(19);
    expect(inPod).toBeLessThanOrEqual(35);
  });

  it('queues beyond its concurrency (1 slot, 5 requests → the 5th finishes after ≈ 5 service times)', async () => {
    const { p, a } = await pod({ concurrency: 1, latency: { kind: 'fixed', ms: 40 } });
    const pending = Promise.all(Array.from({ length: 5 }, () => get(p.url, a)));
    // The queue lasts ≈ 4 service times; under load the poll may miss its peak, not its presence.
    expect(await waitFor(() => p.read().inService === 1 && p.read().queued >= 1)).toBe(true);
    const ms = (await pending).map((r) => r.ms).sort((x, y) => x - y);
    expect(ms[4]).toBeGreaterThanOrEqual(5 * 40 * 0.95);
    // Completions are at least one service time apart (FIFO, one slot): first and last ≥ 4 apart.
    expect(ms[4] - ms[0]).toBeGreaterThanOrEqual(4 * 40 * 0.9);
    expect(p.read()).toMatchObject({ inService: 0, queued: 0, served: 5 });
  });

  it('injects errors at errorRate (0.2 over 1000 requests, ±0.05)', async () => {
    const { p, a } = await pod({ errorRate: 0.2, errorStatus: 503, latency: { kind: 'fixed', ms: 0 } });
    const answers = await getMany(p.url, 1000, 16, a);
    const errors = answers.filter((r) => r.status === 503).length;
    expect(errors / 1000).toBeGreaterThan(0.15);
    expect(errors / 1000).toBeLessThan(0.25);
    expect(answers.every((r) => r.status === 200 || r.status === 503)).toBe(true);
    expect(p.read()).toMatchObject({ served: 1000, errors });
  });

  it('is reproducible from its seed', async () => {
    const b = { errorRate: 0.5, latency: { kind: 'fixed', ms: 0 } } as const;
    const [x, y] = await Promise.all([pod(b, 42, 'x'), pod(b, 42, 'y')]);
    const pattern = async ({ p, a }: { p: PodClient; a: Agent }): Promise<string> => {
      let s = '';
      for (let i = 0; i < 40; i++) s += (await get(p.url, a)).status === 200 ? '.' : 'E';
      return s;
    };
    const sx = await pattern(x);
    expect(sx).toMatch(/E/);
    expect(await pattern(y)).toBe(sx);
  });

  it('honours per-request overrides, clamps them and rejects malformed ones', async () => {
    const { p, a } = await pod({ latency: { kind: 'fixed', ms: 0 } });
    expect((await get(`${p.url}?status=503:100`, a)).status).toBe(503);
    expect((await get(`${p.url}?size=10`, a)).body).toHaveLength(10);
    expect((await get(`${p.url}?size=999999999`, a)).body).toHaveLength(OVERRIDE_CAPS.maxResponseBytes);
    expect((await get(`${p.url}?delay=120ms:100`, a)).ms).toBeGreaterThanOrEqual(110);
    const bad = await get(`${p.url}?delay=soon`, a);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatch(/delay/);
    const mixed = await getMany(`${p.url}?status=500:50`, 200, 8, a);
    const share = mixed.filter((r) => r.status === 500).length / 200;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
  });

  it('changes behaviour while running', async () => {
    const { p, a } = await pod({ latency: { kind: 'fixed', ms: 0 } });
    expect((await get(p.url, a)).status).toBe(200);
    await p.setBehaviour({ errorRate: 1, errorStatus: 502 });
    expect((await get(p.url, a)).status).toBe(502);
    expect(p.read().errors).toBe(1);
  });

  it('stops (connection refused) and starts again on the same port', async () => {
    const { p, a } = await pod({ latency: { kind: 'fixed', ms: 0 } });
    const port = p.port;
    expect((await get(p.url, a)).status).toBe(200);
    await p.stopServer();
    expect(p.up).toBe(false);
    await expect(get(p.url, a)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await p.startServer();
    expect(p.port).toBe(port);
    expect(p.up).toBe(true);
    expect((await get(p.url, a)).status).toBe(200);
  });

  it('reports a taken port when it cannot start again', async () => {
    const { p } = await pod();
    await p.stopServer();
    const { createServer } = await import('node:net');
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(p.port, '127.0.0.1', r));
    try {
      await expect(p.startServer()).rejects.toMatchObject({ name: 'ScaleError', code: 'conflict' });
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});
