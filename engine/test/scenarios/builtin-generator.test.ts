import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../src/core/errors.js';
import { DEFAULT_URL_CAPACITY_RPS, LAB_CEILING_RPS, estimateCapacity, labCapacity } from '../../src/scenarios/capacity.js';
import { generateScenario } from '../../src/scenarios/generate.js';
import { listScenarios } from '../../src/scenarios/registry.js';
import { LabTargetSpec } from '../../src/spec/test-spec.js';
import { parseTestSpec } from '../../src/spec/validate.js';

const lab = (t: Record<string, unknown>) => LabTargetSpec.parse({ kind: 'lab', ...t });

describe('capacity estimate', () => {
  it('is pods × concurrency / mean service time for the lab, per pod', () => {
    expect(labCapacity(lab({ pods: 4, podBehaviour: [{ latency: 'fixed:10ms', concurrency: 2 }] }))).toBeCloseTo(800, 6);
    // pod-2 ten times slower: 3 × 200 + 20
    expect(labCapacity(lab({ pods: 4, podBehaviour: [{ latency: 'exp:10ms', concurrency: 2 }, { pods: ['pod-2'], latency: 'exp:100ms' }] }))).toBeCloseTo(620, 6);
    // Defaults: 64 slots, exp:5ms → 12 800 req/s per pod.
    expect(labCapacity(lab({ pods: 2 }))).toBeCloseTo(25_600, 6);
  });

  it('caps the lab, prefers an observation, and assumes a modest figure for an unmeasured URL', () => {
    expect(estimateCapacity(lab({ pods: 5 })).rps).toBe(LAB_CEILING_RPS);
    expect(estimateCapacity(lab({ pods: 5 }), 1234).rps).toBe(1234);
    expect(estimateCapacity({ kind: 'url', url: 'http://127.0.0.1:9/', podHeader: 'x-scale-pod' })).toMatchObject({ rps: DEFAULT_URL_CAPACITY_RPS });
  });
});

describe('built-in generator', () => {
  it('answers every scenario type with a valid spec, source builtin, no model', async () => {
    for (const s of listScenarios()) {
      const g = await generateScenario({ type: s.name });
      expect(g).toMatchObject({ source: 'builtin', type: s.name });
      expect(g.model).toBeUndefined();
      expect(parseTestSpec(g.spec)).toEqual(g.spec);
      expect(g.rationale).toContain(s.title);
    }
  });

  it('is deterministic', async () => {
    const req = { type: 'Spike', description: 'flash sale', target: { kind: 'lab' as const, pods: 3, podBehaviour: [{ latency: 'fixed:20ms', concurrency: 4 }] } };
    const a = await generateScenario(req);
    const b = await generateScenario(req);
    expect(a).toEqual(b);
    expect(a.rationale).toContain('description is only read by an LLM');
  });

  it("sizes rates from the lab target's capacity", async () => {
    // 3 pods × 4 slots / 20 ms = 600 req/s: spike base 30% = 180, peak 120% = 720.
    const g = await generateScenario({ type: 'spike', target: { kind: 'lab', pods: 3, podBehaviour: [{ latency: 'fixed:20ms', concurrency: 4 }] } });
    if (g.spec.load.model !== 'open') throw new Error('open expected');
    expect(g.spec.load.stages.map((s) => s.rate)).toEqual([180, 720, 180]);
    expect(g.spec.target).toMatchObject({ kind: 'lab', pods: 3 });
    expect(g.rationale).toContain('~600 req/s');
  });

  it('sizes from an observed capacity and keeps a URL target', async () => {
    const g = await generateScenario({ type: 'high-traffic', target: { kind: 'url', url: 'http://127.0.0.1:9/' } }, { observedCapacityRps: 1000 });
    if (g.spec.load.model !== 'open') throw new Error('open expected');
    expect(g.spec.load.stages.map((s) => s.rate)).toEqual([800, 800]);
    expect(g.spec.target).toEqual({ kind: 'url', url: 'http://127.0.0.1:9/', podHeader: 'x-scale-pod' });
  });

  it("takes the lab's pod count into scenarios with a pods parameter", async () => {
    const g = await generateScenario({ type: 'slow-pod', target: { kind: 'lab', pods: 7 } });
    expect(g.spec.target).toMatchObject({ kind: 'lab', pods: 7 });
  });

  it("clamps to the engine's caps and lists the changes", async () => {
    const g = await generateScenario({ type: 'high-traffic' }, { limits: { maxUsers: 100, maxRate: 500, maxDurationMs: 60_000, maxPods: 5 } });
    if (g.spec.load.model !== 'open') throw new Error('open expected');
    expect(g.spec.load.stages.map((s) => s.rate)).toEqual([500, 500]);
    expect(g.adjustments.map((a) => a.path)).toEqual(expect.arrayContaining(['load.stages.0.rate', 'load.stages.1.rate', 'load.stages.0.duration']));
  });

  it('refuses a bad request with every problem', async () => {
    const err = await generateScenario({ type: 'tsunami', description: 5, target: { kind: 'lab', pods: 0 }, extra: 1 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.map((i) => i.path).sort()).toEqual(['description', 'extra', 'target.pods', 'type']);
  });

  it('refuses a lab-only scenario for a URL target', async () => {
    const err = await generateScenario({ type: 'rolling-restart', target: { kind: 'url', url: 'http://127.0.0.1:9/' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.map((i) => i.path)).toEqual(['target.kind']);
  });
});
