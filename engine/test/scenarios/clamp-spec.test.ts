import { describe, expect, it } from '@jest/globals';
import { clampSpec, DURATION_BOUNDS, type ClampOutcome } from '../../src/scenarios/clamp-spec.js';
import { TestSpecSchema } from '../../src/spec/test-spec.js';

function ok(out: ClampOutcome) {
  if ('issues' in out) throw new Error(`unexpected issues: ${JSON.stringify(out.issues)}`);
  return out;
}

const limits = { maxUsers: 500, maxRate: 2000, maxDurationMs: 600_000, maxPods: 10 };

describe('clampSpec', () => {
  it('passes a valid spec through unchanged, defaults filled', () => {
    const out = ok(clampSpec({ load: { model: 'open', stages: [{ rate: 100, duration: '10s' }] } }));
    expect(out.adjustments).toEqual([]);
    expect(out.spec).toEqual(TestSpecSchema.parse({ load: { model: 'open', stages: [{ rate: 100, duration: '10s' }] } }));
  });

  it('clamps numbers and durations to the schema limits and reports each change', () => {
    const out = ok(
      clampSpec({
        name: 'x'.repeat(120),
        target: { kind: 'lab', pods: 80, podBehaviour: [{ concurrency: 2.6, errorRate: 1.5 }] },
        load: { model: 'open', stages: [{ rate: 90_000, duration: '30s' }, { rate: -1, duration: '50ms' }] },
        thresholds: { balance: 3, p99: '10m' },
        request: { timeout: '0ms' },
      }),
    );
    const byPath = Object.fromEntries(out.adjustments.map((a) => [a.path, [a.from, a.to]]));
    expect(byPath).toEqual({
      name: ['x'.repeat(120), 'x'.repeat(100)],
      'target.pods': [80, 32],
      'target.podBehaviour.0.concurrency': [2.6, 3],
      'target.podBehaviour.0.errorRate': [1.5, 1],
      'load.stages.0.rate': [90_000, 50_000],
      'load.stages.1.rate': [-1, 0],
      'load.stages.1.duration': ['50ms', '100ms'],
      'thresholds.balance': [3, 1],
      'thresholds.p99': ['10m', '2m'],
      'request.timeout': ['0ms', '1ms'],
    });
    expect(out.adjustments.every((a) => a.reason.length > 0)).toBe(true);
  });

  it('scales stages whose total is too long, keeping their proportions', () => {
    const out = ok(clampSpec({ load: { model: 'open', stages: [{ rate: 1, duration: '40m' }, { rate: 2, duration: '40m' }] } }));
    if (out.spec.load.model !== 'open') throw new Error('open expected');
    expect(out.spec.load.stages.map((s) => s.duration)).toEqual(['30m', '30m']);
    expect(out.adjustments.map((a) => a.path)).toEqual(['load.stages.0.duration', 'load.stages.1.duration']);
  });

  it('removes unknown fields, and entries that no longer fit once pods are clamped', () => {
    const out = ok(
      clampSpec({
        color: 'blue',
        target: { kind: 'lab', pods: 60, weights: Array(60).fill(1), turbo: true, podBehaviour: [{ pods: ['pod-55'], latency: 'exp:9ms' }, { pods: ['pod-1', 'pod-52'], latency: 'exp:1ms' }] },
        expect: { capacity: Array(60).fill(1) },
      }),
    );
    expect(out.spec.target).toEqual({ kind: 'lab', pods: 32, policy: 'round-robin', mode: 'l7', ejectAfterFailures: 3, podBehaviour: [{ pods: ['pod-1'], latency: 'exp:1ms' }] });
    expect(out.spec.expect).toBeUndefined();
    expect(out.adjustments.map((a) => a.path).sort()).toEqual(
      ['color', 'expect', 'target.podBehaviour.0', 'target.podBehaviour.1.pods.1', 'target.pods', 'target.turbo', 'target.weights'].sort(),
    );
    expect(out.adjustments.find((a) => a.path === 'color')).toEqual({ path: 'color', from: 'blue', to: null, reason: 'unknown field' });
  });

  it("clamps to this engine's own caps too", () => {
    const a = ok(clampSpec({ target: { kind: 'lab', pods: 20 }, load: { model: 'closed', users: 900, duration: '30m' } }, limits));
    expect(a.spec.load).toMatchObject({ users: 500, duration: '10m' });
    expect(a.spec.target).toMatchObject({ pods: 10 });
    const b = ok(clampSpec({ load: { model: 'open', stages: [{ rate: 5000, duration: '8m' }, { rate: 100, duration: '8m' }] } }, limits));
    if (b.spec.load.model !== 'open') throw new Error('open expected');
    expect(b.spec.load.stages).toEqual([
      { rate: 2000, duration: '5m', ramp: false },
      { rate: 100, duration: '5m', ramp: false },
    ]);
    expect(b.adjustments.every((x) => x.reason.length > 0)).toBe(true);
  });

  it('returns every problem it cannot repair, and never a spec', () => {
    const out = clampSpec({ target: { kind: 'lab', pods: 'five', policy: 'fastest' }, load: { model: 'open', stages: [{ rate: 10, duration: 'soon' }] }, thresholds: { balance: 7 } });
    expect('spec' in out).toBe(false);
    if (!('issues' in out)) throw new Error('issues expected');
    expect(out.issues.map((i) => i.path).sort()).toEqual(['load.stages', 'load.stages.0.duration', 'target.pods', 'target.policy']);
    expect(out.adjustments.map((a) => a.path)).toEqual(['thresholds.balance']);
    expect('issues' in clampSpec([1, 2])).toBe(true);
    expect('issues' in clampSpec('{"load":1}')).toBe(true);
  });

  it('drops faults that no longer fit, and faults on a target that is not the lab', () => {
    const out = ok(
      clampSpec({
        target: { kind: 'lab', pods: 70 },
        load: { model: 'closed', duration: '30s' },
        faults: [
          { type: 'latency', pods: ['pod-60'], delay: '50ms' },
          { type: 'errors', pods: ['pod-2'], at: '45s' },
          { type: 'pod-failure', pods: ['pod-3'], at: '5s', duration: '0ms' },
        ],
      }),
    );
    expect(out.spec.faults).toEqual([expect.objectContaining({ type: 'pod-failure', pods: ['pod-3'], duration: '100ms' })]);
    expect(out.adjustments.map((a) => a.path).sort()).toEqual(['faults.0', 'faults.1', 'faults.2.duration', 'target.pods']);
    const url = ok(clampSpec({ target: { kind: 'url', url: 'http://127.0.0.1:9/' }, faults: [{ type: 'latency', pods: ['pod-1'] }] }));
    expect(url.spec.faults).toBeUndefined();
    expect(url.adjustments).toEqual([expect.objectContaining({ path: 'faults', to: null })]);
  });

  it('scales a service time the lab would refuse down to its limit, keeping the shape', () => {
    const out = ok(clampSpec({ target: { kind: 'lab', podBehaviour: [{ latency: 'exp:5m' }, { pods: ['pod-2'], latency: 'uniform:30s,120s' }, { latency: 'exp:20ms' }] } }));
    if (out.spec.target.kind !== 'lab') throw new Error('lab expected');
    expect(out.spec.target.podBehaviour?.map((b) => b.latency)).toEqual(['exp:1m', 'uniform:15s,1m', 'exp:20ms']);
    expect(out.adjustments.map((a) => a.path)).toEqual(['target.podBehaviour.0.latency', 'target.podBehaviour.1.latency']);
  });

  it('does not change its input', () => {
    const input = { target: { kind: 'lab', pods: 80 }, extra: 1 };
    ok(clampSpec(input));
    expect(input).toEqual({ target: { kind: 'lab', pods: 80 }, extra: 1 });
  });

  // The duration bounds are a table beside the schema: check each against the schema itself.
  it.each(DURATION_BOUNDS.map((b) => [b.path.source, b] as const))('duration bounds of %s match the schema', (_name, b) => {
    const specAt = (v: string): unknown => {
      const src = b.path.source;
      if (src.includes('faults')) {
        const field = src.includes('connectTimeout') ? 'connectTimeout' : src.endsWith('at$') ? 'at' : 'duration';
        const fault = field === 'connectTimeout' ? { type: 'partition', pods: ['pod-1'], [field]: v } : { type: 'latency', pods: ['pod-1'], [field]: v };
        return { load: { model: 'closed', duration: '60m' }, faults: [fault] };
      }
      if (src.includes('stages')) return { load: { model: 'open', stages: [{ rate: 1, duration: v }, { rate: 1, duration: '10s' }] } };
      if (src.includes('load')) return { load: { model: 'closed', duration: v } };
      if (src.includes('timeout')) return { request: { timeout: v } };
      if (src.includes('p99')) return { thresholds: { p99: v } };
      return { target: { kind: 'lab', policy: 'peak-ewma', policyOptions: { decay: v } } };
    };
    const valid = (ms: number) => TestSpecSchema.safeParse(specAt(`${ms}ms`)).success;
    expect(valid(b.minMs)).toBe(true);
    // A stage at the maximum leaves room for the other stage; a fault must start before the end.
    const room = b.path.source.includes('stages') ? 10_000 : b.path.source.includes('at$') ? 1 : 0;
    expect(valid(b.maxMs - room)).toBe(true);
    if (b.minMs > 0) expect(valid(b.minMs - 0.5)).toBe(false);
    expect(valid(b.maxMs + 1)).toBe(false);
  });
});
