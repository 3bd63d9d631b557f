import { describe, expect, it } from '@jest/globals';
import { runDeps } from '../../src/runs/default-deps.js';
import { parseTestSpec } from '../../src/spec/validate.js';
import { recommendForSpec } from '../../src/tuning/tune-spec.js';

/**
 * The tuner on a workload where cold pods join (live, on the lab): every setting is verified on
 * a fresh lab window in which one cold pod joins, so slow start and join-aware policies can show
 * what they do (seen: round-robin p99 2.95 s, power-of-two d=3 137 ms). Tolerance: the recommended setting's measured p99 at most half round-robin's
 * (seen: round-robin's cold pod queues to hundreds of ms).
 */
describe('acceptance: tuning a cold scale-up', () => {
  it('verifies on a window with a cold join and recommends away from plain round-robin', async () => {
    const spec = parseTestSpec({
      name: 'cold-join',
      seed: 4,
      target: { kind: 'lab', pods: 4, policy: 'round-robin', podBehaviour: [{ latency: 'exp:20ms', concurrency: 4 }], warmup: { duration: '8s', factor: 6 } },
      load: { model: 'open', stages: [{ rate: 560, duration: '20s' }] },
      faults: [{ type: 'scale-up', count: 4, at: '5s', duration: '15s' }],
      // The objective maximises balance under a p99 limit. Without one the limit is relative to
      // the current p99 (seconds here), and round-robin, which keeps the cold pod as busy as the
      // rest, can keep it on a hair of balance (seen in CI: 0.998 vs 0.987 at 2,966 vs 135 ms).
      thresholds: { p99: '500ms' },
    });
    const steps: string[] = [];
    const { decision: d } = await recommendForSpec(spec, runDeps(), { baselineMs: 2_500, progress: (s) => void steps.push(s) });
    const rows = d.rows.filter((r) => r.measured);
    process.stderr.write(`tune cold join: ${d.note}\n${rows.map((r) => `  ${r.id}: predicted p99 ${r.predicted.p99Ms}ms | measured p99 ${r.measured!.p99Ms}ms bal ${r.measured!.balance.toFixed(3)}`).join('\n')}\n`);
    // slow start was in the search (simulated on the join); the objective ranks by balance first,
    // and slow start holds the new pod's share back, so it may or may not be among the verified
    expect(d.rows.some((r) => r.id === 'l7 round-robin slow-start=8s')).toBe(true);
    expect(steps.some((s) => s.startsWith('verifying'))).toBe(true);
    expect(d.current.id).toBe('l7 round-robin');
    expect(d.winner.id).not.toBe('l7 round-robin');
    expect(d.winner.measured!.p99Ms).toBeLessThanOrEqual(d.current.measured!.p99Ms / 2);
  }, 120_000);
});
