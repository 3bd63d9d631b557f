import { describe, expect, it } from '@jest/globals';
import { scaleSync } from '../helpers/scale-cli.js';

/** The `scale` CLI as a user runs it (the committed launcher, from the TypeScript sources). */
const scale = (args: string[]) => scaleSync(args, { env: { NO_COLOR: '1' } });

describe('scale run (CLI)', () => {
  it('--json prints the Result and exits 0 when thresholds pass', () => {
    const r = scale(['run', '--pods', '3', '--policy', 'round-robin', '--model', 'open', '--rate', '150', '--duration', '2s', '--pod-latency', 'fixed:1ms', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['id', 'spec', 'status', 'startedAt', 'endedAt', 'totals', 'latency', 'pods', 'balance', 'thresholds', 'timeline']));
    expect(result.status).toBe('finished');
    expect(result.totals.requests).toBeGreaterThanOrEqual(290);
    expect(result.pods).toHaveLength(3);
    expect(Object.keys(result.pods[0])).toEqual(expect.arrayContaining(['name', 'requests', 'share', 'expectedShare', 'errors', 'latency']));
    expect(Object.keys(result.balance)).toEqual(expect.arrayContaining(['score', 'cov', 'maxMean', 'chiSquareP', 'verdict', 'utilisation']));
    expect(Object.keys(result.latency)).toEqual(['mean', 'p50', 'p90', 'p99', 'max']);
    // progress lines went to stderr, one a second
    expect(r.stderr).toMatch(/t=1s .*score=/);
  }, 60_000);

  it('exits 1 when a threshold fails (weights 5,1,1,1,1 on equal pods) and prints the report', () => {
    const r = scale(['run', '--policy', 'weighted-round-robin', '--weights', '5,1,1,1,1', '--model', 'open', '--rate', '300', '--duration', '2s', '--pod-latency', 'fixed:1ms']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/score [0-9.]+ imbalanced \(utilisation/);
    expect(r.stdout).toMatch(/✗ balance/);
  }, 60_000);

  it('--threshold-max-share-ratio: one pod at 2× among 10 passes a 0.9 balance limit and fails 1.5×, exit 1, naming the pod', () => {
    // weights 2,1,…,1: pod-1 takes 2/11 against 1/10, 1.82× its share; Jain is 121/130 = 0.93
    const args = ['run', '--pods', '10', '--policy', 'weighted-round-robin', '--weights', '2,1,1,1,1,1,1,1,1,1', '--model', 'open', '--rate', '300', '--duration', '2s', '--pod-latency', 'fixed:1ms', '--threshold-balance', '0.9', '--threshold-max-share-ratio', '1.5'];
    const r = scale([...args, '--json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    const byName = Object.fromEntries(result.thresholds.map((t: { name: string }) => [t.name, t]));
    expect(byName.balance.pass).toBe(true);
    expect(byName.maxShareRatio).toMatchObject({ limit: 1.5, pass: false, pod: 'pod-1' });
    // the lab judges work: 1 ms per request on every pod, so work shares follow request shares (±0.15)
    expect(Math.abs(byName.maxShareRatio.value - 20 / 11)).toBeLessThan(0.15);
    expect(byName.maxShareRatio.reason).toContain('pod-1');
    expect(result.spec.thresholds.maxShareRatio).toBe(1.5);
    const text = scale(args);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✓ balance/);
    expect(text.stdout).toMatch(/✗ maxShareRatio: [0-9.]+× \(limit 1\.5×\): pod-1 took/);
  }, 60_000);

  it('bad flags: every problem in one message, exit 2, nothing started', () => {
    const started = Date.now();
    const r = scale(['run', '--pods', 'abc', '--policy', 'fastest', '--duration', '10 parsecs', '--bogus', '--weights', '1,2', '--pod-latency', 'pod-9=exp:1ms']);
    expect(r.code).toBe(2);
    for (const needle of ['target.pods (--pods)', 'target.policy (--policy)', 'load.duration (--duration)', '--bogus: unknown flag'])
      expect(r.stderr).toContain(needle);
    expect(r.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(15_000);
    // cross-field checks once the pod count is known
    const r2 = scale(['run', '--pods', '3', '--weights', '1,2', '--pod-latency', 'pod-9=exp:1ms', '--users', '0']);
    expect(r2.code).toBe(2);
    for (const needle of ['target.weights (--weights): has 2 entries for 3 pods', 'no pod "pod-9"', 'load.users (--users)']) expect(r2.stderr).toContain(needle);
  });

  it('a spec file with problems is refused the same way, and a missing file is named', () => {
    const r = scale(['run', '--spec', '/nonexistent/spec.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--spec: cannot read /nonexistent/spec.json');
  });

  it('refuses a non-loopback URL target with exit 2', () => {
    const r = scale(['run', '--url', 'http://192.0.2.1:8080/', '--model', 'open', '--rate', '10', '--duration', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/allow-list/);
  });
});
