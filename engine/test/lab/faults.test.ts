import { describe, expect, it } from '@jest/globals';
import { Client } from 'undici';
import { get, waitFor } from './http.js';
import { somePods, useCleanup, useLab } from './lab-fixture.js';

/**
 * The lab's fault layer at its own API: pod faults (reset, abort, bandwidth) and partitions
 * done in the proxy (refused / black hole) at L7 and L4, including connections already open.
 * Times are asserted with generous lower bounds only.
 */
const fixture = useLab();
const track = useCleanup();

describe('lab pod faults', () => {
  it('aborts, resets and paces responses as set, and clears each kind on its own', async () => {
    const { lab, a } = await fixture.start({ pods: somePods(1, { latency: { kind: 'fixed', ms: 0 }, responseBytes: 2000 }), policy: 'round-robin', mode: 'l7', seed: 2 });
    const url = lab.pods()[0].url;
    await lab.setPodFaults('pod-1', { abort: { rate: 1, status: 503 }, bytesPerSecond: 10_000 });
    expect((await get(url, a)).status).toBe(503);
    await lab.setPodFaults('pod-1', { abort: undefined });
    const slow = await get(url, a);
    expect(slow.status).toBe(200);
    expect(slow.body).toHaveLength(2000);
    expect(slow.ms).toBeGreaterThanOrEqual(180); // 2000 B at 10,000 B/s = 200 ms
    await lab.setPodFaults('pod-1', { bytesPerSecond: undefined, resetRate: 1 });
    await expect(get(url, a)).rejects.toThrow();
    expect(lab.stats()[0].resets).toBe(1);
    await lab.setPodFaults('pod-1', { resetRate: undefined });
    expect((await get(url, a)).ms).toBeLessThan(150);
    await expect(lab.setPodFaults('pod-1', { resetRate: 2 })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(lab.setPodFaults('nope', {})).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('lab partitions (in the proxy, on 127.0.0.1)', () => {
  it('L7 black hole: a request hangs until the connect timeout, or goes through when the partition heals first', async () => {
    const { lab, a } = await fixture.start({ pods: somePods(1), policy: 'round-robin', mode: 'l7', ejectAfterFailures: 100 });
    await lab.setPartition('pod-1', { mode: 'blackhole', connectTimeoutMs: 300 });
    const timedOut = await get(lab.url, a);
    expect(timedOut.status).toBe(502);
    expect(timedOut.ms).toBeGreaterThanOrEqual(280);
    expect(lab.stats()[0].served).toBe(0);
    await lab.setPartition('pod-1', { mode: 'blackhole', connectTimeoutMs: 10_000 });
    const held = get(lab.url, a);
    await new Promise((r) => setTimeout(r, 200));
    await lab.setPartition('pod-1', undefined);
    const healed = await held;
    expect(healed).toMatchObject({ status: 200, pod: 'pod-1' });
    expect(healed.ms).toBeGreaterThanOrEqual(180);
  });

  it('L4 refused resets connections already open; a black hole holds them (nothing passes) until the client gives up', async () => {
    const { lab } = await fixture.start({ pods: somePods(1), policy: 'round-robin', mode: 'l4', ejectAfterFailures: 100 });
    const c1 = track(new Client(lab.url, { headersTimeout: 400, bodyTimeout: 400 }));
    expect((await c1.request({ path: '/', method: 'GET' })).statusCode).toBe(200);
    expect(lab.stats()[0].proxyInflight).toBe(1); // the kept-alive connection
    await lab.setPartition('pod-1', { mode: 'refused', connectTimeoutMs: 1000 });
    expect(await waitFor(() => lab.stats()[0].proxyInflight === 0)).toBe(true);
    await expect(c1.request({ path: '/', method: 'GET' })).rejects.toThrow(); // a new connection is refused
    await lab.setPartition('pod-1', undefined);
    const c2 = track(new Client(lab.url, { headersTimeout: 400, bodyTimeout: 400 }));
    const ok = await c2.request({ path: '/', method: 'GET' });
    await ok.body.text();
    expect(ok.statusCode).toBe(200);
    await lab.setPartition('pod-1', { mode: 'blackhole', connectTimeoutMs: 5000 });
    const served = lab.stats()[0].served;
    await expect(c2.request({ path: '/', method: 'GET' })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(lab.stats()[0].served).toBe(served);
    await lab.setPartition('pod-1', undefined);
  });
});
