import { describe, expect, it } from '@jest/globals';
import { request } from 'undici';
import { countByPod, get, getMany, waitFor } from './http.js';
import { crash, ejectingLab, IMMEDIATE, revive, somePods as pods, useLab } from './lab-fixture.js';

const fixture = useLab();

describe('lab L7 proxy', () => {
  it('round-robin over 3 pods: 300 requests → exactly 100 each', async () => {
    const { lab, a } = await fixture.start({ pods: pods(3), policy: 'round-robin', mode: 'l7', seed: 1 });
    expect(lab.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(lab.pods().map((p) => p.name)).toEqual(['pod-1', 'pod-2', 'pod-3']);
    const answers = await getMany(lab.url, 300, 8, a);
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(countByPod(answers)).toEqual({ 'pod-1': 100, 'pod-2': 100, 'pod-3': 100 });
    const stats = lab.stats();
    expect(stats.map((s) => [s.forwarded, s.served, s.proxyInflight])).toEqual([[100, 100, 0], [100, 100, 0], [100, 100, 0]]);
  });

  it('ejects a stopped pod after consecutive failures, keeps serving, restores it when it is back', async () => {
    const { lab, a } = await fixture.start(ejectingLab('l7', 3, 2));
    const { ejected } = await crash(lab, 'pod-2');
    const during = [];
    for (let i = 0; i < 12; i++) during.push(await get(lab.url, a));
    await ejected;
    const failed = during.filter((r) => r.status === 502);
    expect(failed.length).toBe(2); // exactly ejectAfterFailures, then out of rotation
    expect(failed.every((r) => r.pod === undefined)).toBe(true);
    const after = await getMany(lab.url, 30, 4, a);
    expect(after.every((r) => r.status === 200 && r.pod !== 'pod-2')).toBe(true);
    expect(lab.stats().find((s) => s.name === 'pod-2')).toMatchObject({ up: false, healthy: false, failures: 2 });

    await revive(lab, 'pod-2');
    expect(countByPod(await getMany(lab.url, 30, 1, a))['pod-2']).toBe(10);
  });

  it('answers 503 without x-scale-pod when no pod is healthy', async () => {
    const { lab, a } = await fixture.start({ pods: pods(1), policy: 'round-robin', mode: 'l7', ejectAfterFailures: 1 });
    await lab.stopPod('pod-1');
    expect((await get(lab.url, a)).status).toBe(502);
    const r = await get(lab.url, a);
    expect(r.status).toBe(503);
    expect(r.pod).toBeUndefined();
  });

  it('adds and removes pods at runtime; in-flight requests on a removed pod finish', async () => {
    const { lab, a } = await fixture.start({ pods: pods(2), policy: 'round-robin', mode: 'l7' });
    const name = await lab.addPod({ behaviour: IMMEDIATE, weight: 2 });
    expect(name).toBe('pod-3');
    expect(lab.pods().find((p) => p.name === 'pod-3')).toMatchObject({ up: true, weight: 2 });
    expect(countByPod(await getMany(lab.url, 30, 3, a))).toEqual({ 'pod-1': 10, 'pod-2': 10, 'pod-3': 10 });

    await lab.setBehaviour('pod-1', { latency: { kind: 'fixed', ms: 300 } });
    const inflight = getMany(lab.url, 3, 3, a); // one lands on each pod
    expect(await waitFor(() => lab.stats()[0].inService === 1)).toBe(true);
    await lab.removePod('pod-1');
    expect((await inflight).every((r) => r.status === 200)).toBe(true);
    expect(lab.pods().map((p) => p.name)).toEqual(['pod-2', 'pod-3']);
    const later = countByPod(await getMany(lab.url, 20, 2, a));
    expect(later).toEqual({ 'pod-2': 10, 'pod-3': 10 });
  });

  it('switches policy while requests are in flight without failing any', async () => {
    const { lab, a } = await fixture.start({
      pods: pods(3, { latency: { kind: 'fixed', ms: 30 } }),
      policy: 'round-robin',
      mode: 'l7',
      seed: 3,
    });
    const load = getMany(lab.url, 240, 24, a);
    const policies = ['least-connections', 'power-of-two', 'peak-ewma', 'random', 'consistent-hash', 'round-robin'] as const;
    for (const p of policies) {
      await new Promise((r) => setTimeout(r, 20));
      await lab.setPolicy(p);
    }
    await lab.setWeights({ 'pod-1': 3 });
    await lab.setPolicy('weighted-round-robin');
    const answers = await load;
    expect(answers.filter((r) => r.status !== 200)).toEqual([]);
    expect(lab.stats().reduce((s, x) => s + x.proxyInflight, 0)).toBe(0);
  });

  it('reports busy time growing with load', async () => {
    const { lab, a } = await fixture.start({
      pods: pods(2, { latency: { kind: 'fixed', ms: 20 } }),
      policy: 'round-robin',
      mode: 'l7',
    });
    const before = lab.stats().map((s) => s.busyMs);
    expect(before).toEqual([0, 0]);
    await getMany(lab.url, 40, 8, a);
    const after = lab.stats();
    for (const s of after) {
      expect(s.served).toBe(20);
      expect(s.busyMs).toBeGreaterThanOrEqual(20 * 19);
      expect(s.busyMs).toBeLessThan(20 * 200);
    }
  });

  it('streams bodies both ways and passes x-scale-pod through', async () => {
    const { lab, a } = await fixture.start({ pods: pods(2), policy: 'round-robin', mode: 'l7' });
    const big = await get(`${lab.url}?size=1048576`, a);
    expect(big).toMatchObject({ status: 200, pod: 'pod-1' });
    expect(big.body).toHaveLength(1_048_576);
    const res = await request(lab.url, { dispatcher: a, method: 'POST', body: Buffer.alloc(300_000, 'y') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-scale-pod']).toBe('pod-2');
    await res.body.text();
  });

  it('consistent-hash on a header keeps each key on one pod', async () => {
    const { lab, a } = await fixture.start({
      pods: pods(4),
      policy: 'consistent-hash',
      policyOptions: { hashKey: { from: 'header', header: 'x-user' } },
      mode: 'l7',
    });
    const podOf = new Map<string, Set<string | undefined>>();
    for (let i = 0; i < 60; i++) {
      const user = `u${i % 12}`;
      const res = await request(lab.url, { dispatcher: a, headers: { 'x-user': user } });
      await res.body.text();
      const set = podOf.get(user) ?? new Set();
      set.add(res.headers['x-scale-pod'] as string);
      podOf.set(user, set);
    }
    expect([...podOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...podOf.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
  });
});
