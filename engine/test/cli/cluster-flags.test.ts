import { describe, expect, it } from '@jest/globals';
import { flagsToSpec } from '../../src/cli/flags-to-spec.js';
import { renderReport } from '../../src/cli/report.js';
import type { Result } from '../../src/core/result.js';
import { parseTestSpec } from '../../src/spec/validate.js';

describe('cluster and distributed flags', () => {
  it('builds a kubernetes target from --namespace/--service/--balancer, load.workers from --workers, threads from --threads', () => {
    const { spec, issues } = flagsToSpec({ url: 'http://127.0.0.1:8080/', namespace: 'scale', service: 'demo', balancer: 'ingress-nginx', workers: '3', model: 'open', rate: '100', duration: '10s' });
    expect(issues).toEqual([]);
    const s = parseTestSpec(spec);
    expect(s.target).toEqual({ kind: 'kubernetes', url: 'http://127.0.0.1:8080/', namespace: 'scale', service: 'demo', balancer: 'ingress-nginx', podHeader: 'x-scale-pod' });
    expect(s.load).toMatchObject({ model: 'open', workers: 3 });
    expect(parseTestSpec(flagsToSpec({ threads: '2' }).spec).threads).toBe(2);
  });

  it('refuses the old top-level workers (now threads), and threads with worker processes', () => {
    expect(() => parseTestSpec({ workers: 2 })).toThrow(expect.objectContaining({ details: [{ path: 'workers', message: 'unknown field' }] }));
    expect(() => parseTestSpec({ threads: 2, load: { model: 'closed', workers: 2 } })).toThrow(expect.objectContaining({ details: [{ path: 'threads', message: 'use threads (one process) or load.workers (processes), not both' }] }));
    expect(() => parseTestSpec({ target: { kind: 'kubernetes', url: 'http://127.0.0.1/', namespace: 'Bad_NS', service: 'a', selector: 'app=x', route: 'r' } })).toThrow(
      expect.objectContaining({ details: expect.arrayContaining([expect.objectContaining({ path: 'target.namespace' }), expect.objectContaining({ path: 'target.selector' }), expect.objectContaining({ path: 'target.route' })]) }),
    );
  });

  it('reports lost workers and pod events, with long pod names aligned and control characters removed', () => {
    const spec = parseTestSpec({ target: { kind: 'kubernetes', url: 'http://127.0.0.1/', namespace: 'scale', service: 'demo' }, load: { model: 'open', stages: [{ rate: 10, duration: '2s' }], workers: 2 } });
    const pod = (name: string) => ({ name, requests: 10, share: 0.5, expectedShare: 0.5, errors: 0, latency: { p50: 0.001, p99: 0.002 }, eligible: true });
    const r = {
      id: 'x', spec, status: 'finished', startedAt: '', endedAt: '', duration: 2,
      totals: { requests: 20, errors: 0, rps: 10, errorRate: 0, dropped: 0 }, errorsByKind: { connect: 0, timeout: 0, status: 0, reset: 0, other: 0 }, statusCodes: {},
      latency: { mean: 0, p50: 0, p90: 0, p99: 0, max: 0 }, pods: [pod('demo-7d9f8c6b5-x2x9q'), pod('demo-7d9f8c6b5-k4m2z')],
      balance: { score: 1, cov: 0, maxMean: 1, chiSquareP: 1, verdict: 'balanced', utilisation: null, basis: 'requests', requestScore: 1 }, thresholds: [], timeline: [], window: 1,
      workers: { count: 2, lost: [{ index: 1, t: 1.2, reason: 'gone' }], lostRequests: 8, lostShare: 0.4 },
      events: [{ t: 0.5, kind: 'pod-unready', pod: 'demo-7d9f8c6b5-x2x9q', message: 'pod demo-7d9f8c6b5-x2x9q is not ready\u001b[2J' }],
    } as Result;
    const text = renderReport(r, false);
    expect(text).toMatch(/workers {2}2 processes, lost #1 at 1\.2s: 8 requests \(40\.0% of the plan\) not sent/);
    expect(text).toMatch(/0\.5s {2}pod demo-7d9f8c6b5-x2x9q is not ready$/m);
    expect(text).not.toMatch(/\u001b/);
    const rows = text.split('\n').filter((l) => l.startsWith('demo-'));
    expect(new Set(rows.map((l) => l.indexOf('10')))).toHaveProperty('size', 1);
  });
});
