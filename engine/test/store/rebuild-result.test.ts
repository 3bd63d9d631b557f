import { describe, expect, it } from '@jest/globals';
import { faultsFromEvents, latencyFromSamples, rebuildResult, weightedQuantile } from '../../src/store/rebuild-result.js';
import { labSpec, point } from './sample-data.js';

describe('weightedQuantile', () => {
  it('returns the smallest value whose cumulative weight reaches q', () => {
    expect(weightedQuantile([3, 1, 2], [1, 1, 1], 0.5)).toBe(2);
    expect(weightedQuantile([1, 10], [9, 1], 0.5)).toBe(1);
    expect(weightedQuantile([1, 10], [1, 9], 0.5)).toBe(10);
    expect(weightedQuantile([5], [0], 0.5)).toBe(5);
  });
});

describe('latencyFromSamples', () => {
  it('weights windows by requests, skips empty ones, and keeps percentiles ordered', () => {
    const l = latencyFromSamples([
      point(1, { 'pod-1': 90 }, 0.01, 0.05),
      point(2, { 'pod-1': 10 }, 0.1, 0.3),
      point(3, {}, 9, 9), // no requests: its percentiles mean nothing
    ]);
    expect(l.p50).toBe(0.01);
    expect(l.mean).toBeCloseTo(0.9 * 0.01 + 0.1 * 0.1, 12);
    expect(l.p90).toBeCloseTo(0.9 * 0.05 + 0.1 * 0.3, 12);
    expect(l.p99).toBe(0.3);
    expect(l.max).toBe(0.3);
    expect(l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.max).toBe(true);
    expect(latencyFromSamples([])).toEqual({ mean: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});

describe('rebuildResult', () => {
  it('counts a lab pod that served nothing, and weighs pods by the spec capacity', () => {
    const spec = labSpec('cap', { expect: { capacity: [2, 1, 1] } });
    const r = rebuildResult({
      id: 'x', spec, status: 'running', startedAt: '2026-11-29T12:00:00.000Z', endedAt: null,
      samples: [point(1, { 'pod-1': 100, 'pod-2': 50, 'pod-3': 50 }), point(2, { 'pod-1': 100, 'pod-2': 100 })],
    });
    expect(r.pods.map((p) => [p.name, p.requests, p.expectedShare])).toEqual([['pod-1', 200, 0.5], ['pod-2', 150, 0.25], ['pod-3', 50, 0.25]]);
    expect(r.totals).toMatchObject({ requests: 400, rps: 200 });
    // x = 200/0.5, 150/0.25, 50/0.25 = 400, 600, 200 → J = 1200² / (3 · 560000)
    expect(r.balance.score).toBeCloseTo(1200 ** 2 / (3 * 560_000), 12);
    expect(r.balance.utilisation).toBeNull();
    expect(r.endedAt).toBeNull();

    const none = rebuildResult({ id: 'y', spec, status: 'interrupted', startedAt: '2026-11-29T12:00:00.000Z', endedAt: null, samples: [] });
    expect(none.totals).toEqual({ requests: 0, errors: 0, rps: 0, errorRate: 0, dropped: 0 });
    expect(none.balance.verdict).toBe('no-data');
    expect(none.balance.score).toBe(0);
    expect(none.pods).toHaveLength(3);
  });
});

describe('faultsFromEvents', () => {
  it('keeps the latest record of each fault, times in seconds from the run start, and skips junk', () => {
    const rec = (state: string, endedAt: string | null, endReason?: string) => ({
      id: 'f1', testId: 'r', type: 'latency', severity: 'medium', pods: ['pod-2'], params: { delay: '200ms', fraction: 1 },
      source: 'spec', state, startedAt: '2026-11-29T12:00:02.000Z', expiresAt: '2026-11-29T12:00:12.000Z', endedAt, ...(endReason ? { endReason } : {}),
    });
    const events = [
      { type: 'fault-started', data: rec('active', null) },
      { type: 'tuning', data: { whatever: 1 } },
      { type: 'fault-ended', data: 'not a record' },
      { type: 'fault-ended', data: rec('ended', '2026-11-29T12:00:07.500Z', 'reconciled') },
    ];
    expect(faultsFromEvents(events, '2026-11-29T12:00:00.000Z')).toEqual([
      { id: 'f1', type: 'latency', pods: ['pod-2'], startedAt: 2, endedAt: 7.5, params: { delay: '200ms', fraction: 1 }, endReason: 'reconciled' },
    ]);
    expect(faultsFromEvents([{ type: 'fault-started', data: rec('active', null) }], '2026-11-29T12:00:00.000Z')[0].endedAt).toBeNull();
  });
});
