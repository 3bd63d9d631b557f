import { describe, expect, it } from '@jest/globals';
import { maxWindowsFor, parseSimSpec, planSimulation } from '../../src/sim/plan-simulation.js';
import { simulate, simulationAnswer } from '../../src/sim/simulate.js';

/**
 * A long virtual run keeps its timeline bounded: coarser windows for longer runs (whole
 * seconds, stated in the Result's `window`), at most maxWindowsFor(pods) of them, so the answer
 * stays a few MB whatever the number of requests simulated.
 */
describe('the timeline of a long simulation is bounded', () => {
  it('400 pods at 1 s service time, 1,000,000 requests (46 virtual minutes): 124 windows, a result of ~1 MB', () => {
    const plan = planSimulation(parseSimSpec({ policy: 'power-of-two', pods: 400, podConcurrency: 1, serviceTime: 'exp:1s', load: { model: 'open', load: 0.9 }, requests: 1_000_000, seed: 1 }));
    const o = simulate(plan);
    const r = o.result;
    expect(r.timeline.length).toBeLessThanOrEqual(maxWindowsFor(400));
    expect(maxWindowsFor(400)).toBe(124);
    // the window length is stated, in whole seconds, and the windows tile the run
    expect(r.window).toBeGreaterThan(1);
    expect(Number.isInteger(r.window)).toBe(true);
    expect(r.timeline[1].t - r.timeline[0].t).toBeCloseTo(r.window!, 6);
    expect(r.timeline.reduce((a, w) => a + w.requests, 0)).toBe(r.totals.requests);
    const json = JSON.stringify(simulationAnswer(o, plan), null, 2);
    expect(json.length).toBeLessThan(3 * 1024 * 1024);
  });

  it('a run far longer than its estimate merges windows in pairs: still bounded, counts exact, every window scored', () => {
    const plan = planSimulation(parseSimSpec({ policy: 'round-robin', pods: 3, serviceTime: 'exp:10ms', load: { model: 'open', rate: 100 }, duration: '100s', seed: 3 }));
    // pretend the estimate was 10x too short
    const r = simulate({ ...plan, maxWindows: 10, windowMs: 1000 }).result;
    expect(r.timeline.length).toBeLessThanOrEqual(10);
    expect(r.window).toBe(16); // 1 s doubled at 10, 20, 40 and 80 windows' worth
    const ends = r.timeline.map((w) => w.t);
    expect(ends.slice(0, 6)).toEqual([16, 32, 48, 64, 80, 96]);
    expect(r.timeline.reduce((a, w) => a + w.requests, 0)).toBe(r.totals.requests);
    const perPod = (name: string) => r.timeline.reduce((a, w) => a + (w.pods[name] ?? 0), 0);
    for (const p of r.pods) expect(perPod(p.name)).toBe(p.requests);
    for (const w of r.timeline.slice(0, 6)) {
      expect(w.verdict).toBe('balanced');
      expect(w.basis).toBe('utilisation');
      expect(w.rps).toBeGreaterThan(80);
      expect(w.rps).toBeLessThan(120);
    }
  });
});
