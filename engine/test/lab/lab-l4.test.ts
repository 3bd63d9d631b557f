import { describe, expect, it } from '@jest/globals';
import { Pool } from 'undici';
import { countByPod, get, getMany } from './http.js';
import { crash, ejectingLab, revive, somePods, useLab } from './lab-fixture.js';

const fixture = useLab();
const five = somePods(5);

describe('lab L4 proxy (per connection, as kube-proxy)', () => {
  it('2 keep-alive connections over 5 pods → exactly 2 pods get traffic', async () => {
    const { lab } = await fixture.start({ pods: five, policy: 'round-robin', mode: 'l4' });
    const pool = new Pool(lab.url, { connections: 2, pipelining: 1 });
    try {
      const answers = await getMany(`${lab.url}x`, 200, 2, pool);
      expect(answers.every((r) => r.status === 200)).toBe(true);
      const counts = countByPod(answers);
      expect(Object.keys(counts)).toHaveLength(2);
      expect(Object.values(counts).reduce((s, n) => s + n, 0)).toBe(200);
      expect(lab.stats().filter((s) => s.served > 0)).toHaveLength(2);
      expect(lab.stats().reduce((s, x) => s + x.proxyInflight, 0)).toBe(2); // the 2 open connections
    } finally {
      await pool.close();
    }
  });

  it('a new connection per request spreads over all 5 pods', async () => {
    const { lab, a } = await fixture.start({ pods: five, policy: 'round-robin', mode: 'l4' });
    const counts: Record<string, number> = {};
    for (let i = 0; i < 50; i++) {
      const r = await get(lab.url, a, { reset: true });
      expect(r.status).toBe(200);
      counts[r.pod!] = (counts[r.pod!] ?? 0) + 1;
    }
    expect(counts).toEqual({ 'pod-1': 10, 'pod-2': 10, 'pod-3': 10, 'pod-4': 10, 'pod-5': 10 });
    expect(lab.stats().map((s) => s.forwarded)).toEqual([10, 10, 10, 10, 10]);
  });

  it('closes the client connection when the pod is down and ejects the pod', async () => {
    const { lab, a } = await fixture.start(ejectingLab('l4', 2, 1));
    const { ejected } = await crash(lab, 'pod-1');
    await expect(get(lab.url, a, { reset: true })).rejects.toThrow();
    await ejected;
    for (let i = 0; i < 6; i++) expect((await get(lab.url, a, { reset: true })).pod).toBe('pod-2');
    await revive(lab, 'pod-1');
    const pods = new Set<string | undefined>();
    for (let i = 0; i < 4; i++) pods.add((await get(lab.url, a, { reset: true })).pod);
    expect(pods).toEqual(new Set(['pod-1', 'pod-2']));
  });
});
