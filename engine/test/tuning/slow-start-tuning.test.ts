import { describe, expect, it } from '@jest/globals';
import { planFromTestSpec } from '../../src/sim/plan-test-spec.js';
import { simulate } from '../../src/sim/simulate.js';
import { candidates, settingId } from '../../src/tuning/candidates.js';
import { fitFromResult } from '../../src/tuning/fit-model.js';
import { hasJoins, slowStartToTry } from '../../src/tuning/joins.js';
import { recommend, settingOf } from '../../src/tuning/recommend.js';
import { shortSpec, specWithSetting } from '../../src/tuning/verify.js';
import { coldScaleUpSpec } from '../helpers/cold-scale-up.js';

/** Values by pod name, pod-1 first. */
const named = (v: number[]) => Object.fromEntries(v.map((x, i) => [`pod-${i + 1}`, x]));


describe('the tuner and slow start', () => {
  it('tries a slow-start window only when pods join: the warm-up time, else 10 s', () => {
    expect(slowStartToTry(coldScaleUpSpec())).toBe(8_000);
    expect(slowStartToTry(coldScaleUpSpec({ faults: [{ type: 'latency', pods: ['pod-1'], at: '1s', duration: '2s' }] }))).toBeUndefined();
    expect(hasJoins(coldScaleUpSpec({ faults: [{ type: 'pod-failure', pods: ['pod-1'], at: '1s', duration: '2s', kill: true }] }))).toBe(false);
    expect(hasJoins(coldScaleUpSpec({ faults: [{ type: 'partition', count: 1, at: '1s', duration: '2s' }] }))).toBe(true);
    const cur = settingOf(coldScaleUpSpec());
    const plain = candidates({ current: cur, podSpeeds: named([1, 1, 1, 1]), keepAlive: true }).map((c) => c.id);
    const withSlow = candidates({ current: cur, podSpeeds: named([1, 1, 1, 1]), keepAlive: true, slowStartMs: 8_000 }).map((c) => c.id);
    expect(plain.some((id) => id.includes('slow-start'))).toBe(false);
    expect(withSlow).toEqual(expect.arrayContaining([...plain, 'l7 round-robin slow-start=8s', 'l7 least-connections slow-start=8s', 'l7 peak-ewma d=2 decay=1s slow-start=8s']));
    expect(withSlow).toHaveLength(2 * plain.length);
  });

  it("keeps a user's slow start: in every candidate and through the spec a verification runs", () => {
    const spec = coldScaleUpSpec({ slowStart: '20s' });
    const cur = settingOf(spec);
    expect(settingId(cur)).toBe('l7 round-robin slow-start=20s');
    expect(candidates({ current: cur, podSpeeds: named([1, 1, 1, 1]), keepAlive: true }).every((c) => c.policyOptions.slowStartMs === 20_000)).toBe(true);
    const back = specWithSetting(spec, cur);
    expect(back.target.kind === 'lab' && back.target.policyOptions).toEqual({ slowStart: '20s' });
  });

  it('judges settings on a cold join: round-robin with slow start predicts a p99 over 5x lower than without', () => {
    const spec = coldScaleUpSpec();
    const base = simulate(planFromTestSpec(shortSpec(spec, 3_000))).result;
    const rec = recommend(spec, fitFromResult(base));
    const p99 = (id: string) => rec.ranked.find((r) => r.candidate.id === id)!.predicted.p99Ms;
    // seen: 3,496 ms vs 197 ms
    expect(p99('l7 round-robin slow-start=8s')).toBeLessThan(p99('l7 round-robin') / 5);
    expect(rec.best.candidate.id).not.toBe('l7 round-robin');
    expect(rec.best.predicted.p99Ms).toBeLessThan(rec.current.predicted.p99Ms / 5);
  });
});
