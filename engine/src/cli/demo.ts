import type { Result } from '../core/result.js';
import type { TestSpecInput } from '../spec/test-spec.js';
import { parseTestSpec } from '../spec/validate.js';
import { EngineClient } from './engine-client.js';
import { EXIT } from './exit-codes.js';
import { balancePhrase, int, lpad, pad, paint, score, secs, verdictColour } from './format.js';
import { LiveView, plainLine } from './live-view.js';

/**
 * `npm start`: a narrated tour of what Scale shows, on the embedded lab. Each phase is an
 * ordinary TestSpec sent to the engine's API, followed over its WebSocket, exactly as the
 * Grafana pages or a script would drive it.
 */
export interface Phase {
  title: string;
  story: string;
  /** The whole-run verdict the story promises (README "Quick start"). */
  verdict: 'balanced' | 'imbalanced';
  spec: (seconds: number) => TestSpecInput;
}

const POD_LATENCY = 'exp:5ms';
// The slow-pod phases use longer service times: least-connections counts a request from the
// proxy's send to its answer, so on a busy 2-core machine a few ms of CPU wait per request dilute
// a 5 ms vs 25 ms difference (the demo's least-connections phase came out imbalanced in 2 s
// phases); against 20 ms vs 100 ms the same wait hardly matters.
const SLOW_POD = [{ latency: 'exp:20ms' }, { pods: ['pod-3'], latency: 'exp:100ms' }];

/** Length of each phase in seconds: `npm start` (full) and `scale demo --quick`. */
export const PHASE_SECONDS = { full: 6, quick: 2 } as const;

/** The demo's phases (exported for the acceptance test that holds them to their stories). */
export const PHASES: readonly Phase[] = [
  {
    title: '1/5 Steady traffic, round-robin',
    story: 'Five pods behind an L7 round-robin proxy, 300 requests a second. Expect every pod near 20% and a score near 1.',
    verdict: 'balanced',
    spec: (s) => ({
      name: 'demo-steady',
      target: { kind: 'lab', pods: 5, policy: 'round-robin', podBehaviour: [{ latency: POD_LATENCY }] },
      load: { model: 'open', stages: [{ rate: 300, duration: `${s}s` }] },
    }),
  },
  {
    title: '2/5 A ramp, random policy',
    story: 'Arrivals ramp from 0 to 800 a second with a random policy. Per-second noise is visible, but the chi-square test keeps it from being called an imbalance.',
    verdict: 'balanced',
    spec: (s) => ({
      name: 'demo-ramp',
      target: { kind: 'lab', pods: 5, policy: 'random', podBehaviour: [{ latency: POD_LATENCY }] },
      load: { model: 'open', stages: [{ rate: 800, duration: `${s}s`, ramp: true }] },
    }),
  },
  {
    title: '3/5 A slow pod under round-robin',
    story: 'pod-3 is five times slower. Round-robin still splits requests evenly, but pod-3 does five times the work of the others: imbalanced (judged on work), and p99 suffers.',
    verdict: 'imbalanced',
    spec: (s) => ({
      name: 'demo-slow-pod-rr',
      target: { kind: 'lab', pods: 5, policy: 'round-robin', podBehaviour: SLOW_POD },
      load: { model: 'closed', users: 40, spawnRate: 100, duration: `${s}s` },
    }),
  },
  {
    title: '4/5 The same slow pod under least-connections',
    story: 'Least-connections sends pod-3 fewer requests (uneven by count, by design) and evens out the work: balanced.',
    verdict: 'balanced',
    spec: (s) => ({
      name: 'demo-slow-pod-lc',
      target: { kind: 'lab', pods: 5, policy: 'least-connections', podBehaviour: SLOW_POD },
      load: { model: 'closed', users: 40, spawnRate: 100, duration: `${s}s` },
    }),
  },
  {
    title: '5/5 Keep-alive behind an L4 balancer',
    story: 'kube-proxy balances connections, not requests. Two keep-alive connections over five pods: three pods get nothing, and Scale calls it imbalanced.',
    verdict: 'imbalanced',
    spec: (s) => ({
      name: 'demo-keepalive-l4',
      target: { kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l4', podBehaviour: [{ latency: POD_LATENCY }] },
      load: { model: 'open', stages: [{ rate: 150, duration: `${s}s` }] },
      connections: { keepAlive: true, maxConnections: 2 },
    }),
  },
];

export async function runDemo(quick: boolean, baseUrl: string, token?: string): Promise<number> {
  const seconds = quick ? PHASE_SECONDS.quick : PHASE_SECONDS.full;
  const client = new EngineClient(baseUrl, token);
  const tty = Boolean(process.stdout.isTTY);
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const out = (s = '') => process.stdout.write(`${s}\n`);
  out(paint(colour, 'bold', 'Scale demo: real HTTP traffic through a real balancing proxy to five pod servers on 127.0.0.1'));
  const results: Array<{ phase: Phase; result: Result }> = [];
  for (const phase of PHASES) {
    out();
    out(paint(colour, 'bold', phase.title));
    out(paint(colour, 'dim', phase.story));
    const input = phase.spec(seconds);
    const spec = parseTestSpec(input);
    const live = tty ? new LiveView(process.stdout) : undefined;
    const result = await client.runAndWatch(input, (m) => {
      if (live) live.tick(m.test, spec, phase.title);
      else out(plainLine(m.test));
    });
    live?.done();
    if (result.status === 'failed') {
      out(paint(colour, 'red', `phase failed: ${result.error?.message ?? 'unknown error'}`));
      return EXIT.engine;
    }
    out(summaryLine(result, colour));
    results.push({ phase, result });
  }
  out();
  out(paint(colour, 'bold', 'Summary'));
  out(paint(colour, 'dim', `${pad('phase', 48)}${lpad('requests', 9)}${lpad('score', 8)}  ${pad('verdict', 12)}${pad('basis', 12)}${lpad('req', 7)}${lpad('util', 7)}${lpad('p99', 9)}`));
  for (const { phase, result: r } of results) {
    const b = r.balance;
    out(
      `${pad(phase.title, 48)}${lpad(int(r.totals.requests), 9)}${lpad(score(b.score), 8)}  ${paint(colour, verdictColour(b.verdict), pad(b.verdict, 12))}${pad(b.basis, 12)}${lpad(b.requestScore.toFixed(3), 7)}${lpad(b.utilisation === null ? '-' : b.utilisation.toFixed(3), 7)}${lpad(secs(r.latency.p99), 9)}`,
    );
  }
  out();
  out('Next: `npx scale run --help`, or try `npx scale run --policy power-of-two --pod-concurrency 4 --pod-latency exp:20ms --pod-latency pod-3=exp:100ms --model open --rate 600 --duration 10s`.');
  return EXIT.ok;
}

function summaryLine(r: Result, colour: boolean): string {
  const shares = r.pods.map((p) => `${p.name} ${(p.share * 100).toFixed(0)}%`).join('  ');
  return `→ ${int(r.totals.requests)} requests, ${balancePhrase(r.balance, colour)}, p99 ${secs(r.latency.p99)}\n  ${shares}`;
}
