import { describe, expect, it } from '@jest/globals';
import { clientAddress } from '../../src/core/client-address.js';
import type { Result } from '../../src/core/result.js';
import { planFromTestSpec } from '../../src/sim/plan-test-spec.js';
import { simulate } from '../../src/sim/simulate.js';
import type { TestSpecInput } from '../../src/spec/test-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { runSpec } from '../helpers/run-spec.js';

/**
 * consistent-hash keys from distinct clients: the lab's virtual clients connect from their own
 * loopback addresses (core/client-address.ts), and the simulator keys the same clients with the
 * same addresses and honours the configured key source. So a live run and `simulate --spec` of
 * the same spec put the same share on every pod, within a stated tolerance.
 */
const shares = (r: Result) => Object.fromEntries(r.pods.map((p) => [p.name, p.share]));
const simOf = (spec: TestSpecInput) => simulate(planFromTestSpec(parseTestSpec(spec))).result;
const lab = (hashKey: string) => ({ kind: 'lab' as const, pods: 5, policy: 'consistent-hash' as const, policyOptions: { hashKey }, podBehaviour: [{ latency: 'exp:10ms' }] });

describe('acceptance: consistent-hash, live and simulated', () => {
  it('client key, 50 users over 5 pods: each pod within 0.04 of the simulated share (20% of a fifth)', async () => {
    const spec: TestSpecInput = { name: 'hash-client', seed: 3, target: lab('client'), load: { model: 'closed', users: 50, spawnRate: 100, duration: '4s', thinkTime: 'exp:50ms' } };
    const sim = simOf(spec);
    const live = await runSpec(spec);
    // the users are spread over the pods (one client would put everything on one pod) ...
    expect(Object.values(shares(sim)).every((s) => s > 0.08)).toBe(true);
    expect(Object.values(shares(live)).filter((s) => s > 0.08)).toHaveLength(5);
    // ... the same way live and simulated
    for (const [pod, s] of Object.entries(shares(sim))) expect(Math.abs((shares(live)[pod] ?? 0) - s)).toBeLessThanOrEqual(0.04);
  }, 60_000);

  it.each([
    ['path', { path: '/shop?item=7' }],
    ['header:x-user', { headers: { 'X-User': 'alice' } }],
  ])('%s key: every request has the same key, so one pod takes everything, the same pod live and simulated', async (hashKey, request) => {
    const spec: TestSpecInput = { name: 'hash-request', seed: 4, target: lab(hashKey), load: { model: 'open', stages: [{ rate: 200, duration: '2s' }] }, request };
    const sim = simOf(spec);
    const live = await runSpec(spec);
    const busiest = (r: Result) => r.pods.reduce((a, p) => (p.share > a.share ? p : a));
    expect(busiest(sim).share).toBe(1);
    expect(busiest(live).share).toBe(1);
    expect(busiest(live).name).toBe(busiest(sim).name);
  }, 60_000);

  it('client addresses stay in loopback, clear of 127.0.0.x, and are distinct', () => {
    const all = Array.from({ length: 10_000 }, (_, i) => clientAddress(i));
    expect(new Set(all).size).toBe(10_000);
    for (const a of all) expect(a).toMatch(/^127\.([1-9]\d{0,2})\.\d{1,3}\.\d{1,3}$/);
    expect(all.slice(0, 3)).toEqual(['127.1.0.1', '127.1.0.2', '127.1.0.3']);
    expect(clientAddress(254)).toBe('127.1.1.1');
  });
});
