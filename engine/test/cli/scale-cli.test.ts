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
