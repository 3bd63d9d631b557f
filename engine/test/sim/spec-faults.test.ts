import { describe, expect, it } from '@jest/globals';
import { faultTargetRandom } from '../../src/chaos/run-faults.js';
import { definitionOf } from '../../src/chaos/registry.js';
import { resolveTargets } from '../../src/chaos/targets.js';
import { DEFAULT_POD_BEHAVIOUR } from '../../src/spec/pod-behaviour.js';
import { planFromTestSpec } from '../../src/sim/plan-test-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';

const specWith = (faults: unknown[]) =>
  parseTestSpec({
    name: 'faulty',
    seed: 3,
    target: { kind: 'lab', pods: 4, podBehaviour: [{ latency: 'exp:20ms' }] },
    load: { model: 'open', stages: [{ rate: 100, duration: '30s' }] },
    faults,
  });

describe("a TestSpec's faults in the simulator", () => {
  it('scale-up and scale-down change the pod count and undo it; the added pods copy pod-1', () => {
    const plan = planFromTestSpec(
      specWith([
        { type: 'scale-up', count: 3, at: '5s', duration: '10s' },
        { type: 'scale-down', count: 1, at: '8s', duration: '4s' },
      ]),
    );
    expect(plan.initialPods).toBe(4);
    expect(plan.pods.map((p) => p.name)).toEqual(['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5', 'pod-6', 'pod-7']);
    expect(plan.pods[6].serviceTime).toEqual(plan.pods[0].serviceTime);
    expect(plan.events).toEqual([
      { atMs: 5000, type: 'scale', to: 7 },
      { atMs: 8000, type: 'scale', to: 6 },
      { atMs: 12000, type: 'scale', to: 7 },
      { atMs: 15000, type: 'scale', to: 4 },
    ]);
    expect(plan.notSimulated).toEqual([]);
  });

  it('pod-failure and partition fail pods and recover them (not a kill); wire faults are listed as not simulated', () => {
    const plan = planFromTestSpec(
      specWith([
        { type: 'pod-failure', pods: ['pod-2'], at: '2s', duration: '3s' },
        { type: 'pod-failure', pods: ['pod-3'], at: '4s', duration: '3s', kill: true },
        { type: 'partition', count: 1, at: '6s', duration: '2s', mode: 'blackhole' },
        { type: 'latency', pods: ['pod-1'], at: '1s', duration: '2s', delay: 'fixed:50ms' },
      ]),
    );
    const fails = plan.events.filter((e) => e.type !== 'scale');
    expect(fails.slice(0, 3)).toEqual([
      { atMs: 2000, type: 'fail', pods: ['pod-2'] },
      { atMs: 4000, type: 'fail', pods: ['pod-3'] },
      { atMs: 5000, type: 'recover', pods: ['pod-2'] },
    ]);
    // the partition's pod is drawn by the chaos code's seeded choice: one pod, failed then recovered
    const partitioned = fails.filter((e) => e.atMs === 6000 || e.atMs === 8000);
    expect(partitioned.map((e) => e.type)).toEqual(['fail', 'recover']);
    expect(partitioned[0]).toMatchObject({ pods: [expect.stringMatching(/^pod-[1-4]$/)] });
    expect(plan.events.some((e) => e.type === 'recover' && 'pods' in e && e.pods.includes('pod-3'))).toBe(false);
    expect(plan.notSimulated).toEqual(['latency at 1s']);
  });

  it('chooses the same pods as a live run of the seeded spec (the chaos code, the same random source)', () => {
    const plan = planFromTestSpec(specWith([{ type: 'partition', count: 2, at: '2s', duration: '2s' }]));
    const lab = ['pod-1', 'pod-2', 'pod-3', 'pod-4'].map((name) => ({ name, up: true, weight: 1, behaviour: DEFAULT_POD_BEHAVIOUR }));
    const live = resolveTargets(definitionOf('partition'), { count: 2 }, 'medium', lab, faultTargetRandom(3)).pods;
    expect(plan.events[0]).toEqual({ atMs: 2000, type: 'fail', pods: live });
  });

  it('overlapping scale-downs undo exactly; a fault on a pod only a scale-up adds is listed with its reason', () => {
    const down = planFromTestSpec(
      specWith([
        { type: 'scale-down', count: 3, at: '2s', duration: '10s' },
        { type: 'scale-down', count: 3, at: '4s', duration: '2s' },
      ]),
    );
    expect(down.events.map((e) => (e.type === 'scale' ? e.to : e.type))).toEqual([1, 1, 1, 4]);
    const later = planFromTestSpec(
      specWith([
        { type: 'scale-up', count: 1, at: '2s', duration: '10s' },
        { type: 'pod-failure', pods: ['pod-5'], at: '4s', duration: '2s' },
      ]),
    );
    expect(later.events).toEqual([
      { atMs: 2000, type: 'scale', to: 5 },
      { atMs: 12000, type: 'scale', to: 4 },
    ]);
    expect(later.notSimulated).toEqual([expect.stringMatching(/^pod-failure at 4s \(.*pod-5/)]);
  });
});
