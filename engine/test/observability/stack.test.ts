import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import WebSocket from 'ws';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import type { Result } from '../../src/core/result.js';
import { testLabel } from '../../src/metrics/test-label.js';
import { freePort } from '../helpers/free-port.js';
import { call, startTestEngine, waitFor, type TestEngine } from '../helpers/test-engine.js';
import { dashboards, queriesOf } from './dashboards.js';
import { checkQueries, substitute, type QueryCase } from './promql-check.js';
import { allRules } from './repo.js';
import {
  copyRules,
  instantQuery,
  startAlertmanager,
  startPrometheus,
  workDir,
  writeAlertmanagerConfig,
  writePrometheusConfig,
  type Daemon,
} from './stack.js';

/**
 * The whole loop with real components: an engine runs lab tests, a real Prometheus scrapes it
 * and evaluates a copy of the committed rules (every `for` shortened, evaluated every second), a
 * real Alertmanager delivers to the engine's POST /api/alerts. A balanced test raises nothing; an
 * imbalanced one (L4, keep-alive, 2 connections for 5 pods) fires ScaleImbalance, which the
 * engine then lists, streams and, once the test stops, records as resolved. While it fires, every
 * PromQL expression of every dashboard and rule runs against that Prometheus.
 */

const TOKEN = 'stack-test-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** Alerts the imbalanced run produces; ScaleFaultStuck needs a rollback that hangs, which a healthy engine never has. */
const FIRING = ['ScaleImbalance', 'ScaleHighErrorRate', 'ScaleLatencyBreach', 'ScaleEngineDown'];

let engine: TestEngine;
let prometheus: Daemon;
let alertmanager: Daemon;
let work: ReturnType<typeof workDir>;
let promConfig: string;
let rules: string[];
let ports: { prometheus: number; alertmanager: number; dead: number };
const engineTarget = () => new URL(engine.url).host;

function configurePrometheus(engineTargets: string[]): void {
  writePrometheusConfig(promConfig, { engineTargets, self: `127.0.0.1:${ports.prometheus}`, alertmanager: `127.0.0.1:${ports.alertmanager}`, rules });
}

async function engineAlerts(query = ''): Promise<Array<{ name: string; status: string; fingerprint: string; labels: Record<string, string>; annotations: Record<string, string>; endsAt?: string }>> {
  const r = await call(engine.url, 'GET', `/api/alerts${query}`, undefined, AUTH);
  expect(r.status).toBe(200);
  return r.body.alerts;
}

async function startTest(spec: Record<string, unknown>): Promise<{ id: string; label: string }> {
  const r = await call(engine.url, 'POST', '/api/load-test/start', spec, AUTH);
  expect(r.status).toBe(201);
  return { id: r.body.id, label: testLabel(r.body.id, spec.name as string) };
}

async function series(expr: string): Promise<number> {
  return (await instantQuery(prometheus.url, expr)).length;
}

beforeAll(async () => {
  const t0 = Date.now();
  work = workDir();
  engine = await startTestEngine({ ENGINE_TOKEN: TOKEN });
  ports = { prometheus: await freePort(), alertmanager: await freePort(), dead: await freePort() };
  rules = copyRules(work.dir);
  promConfig = join(work.dir, 'prometheus.yml');
  configurePrometheus([engineTarget()]);
  alertmanager = await startAlertmanager(work.dir, writeAlertmanagerConfig(work.dir, { engineUrl: engine.url, token: TOKEN }), ports.alertmanager);
  prometheus = await startPrometheus(work.dir, promConfig, ports.prometheus);
  // Tests start once Prometheus has scraped the engine.
  await waitFor(async () => ((await series(`up{job="scale-engine"} == 1`)) > 0 ? true : undefined), 15_000);
  process.stderr.write(`stack test: engine, Prometheus and Alertmanager up in ${Date.now() - t0} ms\n`);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await alertmanager?.stop();
  await engine?.close();
  work?.remove();
});

describe('Prometheus, the alert rules and Alertmanager against a real engine', () => {
  it('a balanced lab test (random policy: per-window noise) is scraped and evaluated, and raises nothing', async () => {
    const t0 = Date.now();
    const { id, label } = await startTest({
      name: 'stack-balanced',
      target: { kind: 'lab', pods: 5, policy: 'random', podBehaviour: [{ latency: 'fixed:1ms' }] },
      load: { model: 'open', stages: [{ rate: 200, duration: '8s' }] },
    });
    await waitFor(async () => ((await call(engine.url, 'GET', `/api/load-test/status/${id}`, undefined, AUTH)).body.status === 'finished' ? true : undefined), 30_000);
    // Two more evaluations after the last window, and time for Alertmanager to deliver anything.
    await new Promise((r) => setTimeout(r, 2500));

    // The run was seen: scraped windows, recording rules evaluated on them.
    expect(await series(`count_over_time(scale_balance_score{test="${label}"}[5m]) >= 5`)).toBe(1);
    expect(await series(`scale:balance_score:avg1m{test="${label}"}`)).toBe(1);
    // ScaleImbalance was not even pending at any evaluation; nothing fired; nothing was delivered.
    const pending = await instantQuery(prometheus.url, `ALERTS{alertname="ScaleImbalance", test="${label}"}[5m]`);
    if (pending.length > 0) {
      // Say which window was judged imbalanced, and on what, so that a failure can be told apart from noise.
      const result = (await call(engine.url, 'GET', `/api/results/${id}`, undefined, AUTH)).body as Result;
      const windows = result.timeline.map((w) => ({ t: w.t, requests: w.requests, pods: w.pods, verdict: w.verdict, basis: w.basis, score: w.score, requestScore: w.requestScore, utilisation: w.utilisation }));
      throw new Error(`ScaleImbalance was ${JSON.stringify(pending.map((p) => p.metric.alertstate))} for a balanced run; its windows: ${JSON.stringify(windows)}`);
    }
    expect(await instantQuery(prometheus.url, 'ALERTS{alertstate="firing"}[5m]')).toEqual([]);
    expect(await engineAlerts()).toEqual([]);
    process.stderr.write(`stack test: balanced phase ${Date.now() - t0} ms\n`);
  }, 60_000);

  it('an imbalanced lab test fires ScaleImbalance, Alertmanager delivers it to the engine, every dashboard and rule query has data, and the alert resolves when the test stops', async () => {
    const t0 = Date.now();
    // An engine target that does not answer, as a crashed engine would not: ScaleEngineDown.
    configurePrometheus([engineTarget(), `127.0.0.1:${ports.dead}`]);
    process.kill(prometheus.pid, 'SIGHUP');
    await waitFor(async () => ((await series('up{job="scale-engine"}')) === 2 ? true : undefined), 15_000);

    const messages: Array<{ type: string; kind?: string; alert?: { name: string; labels: Record<string, string> } }> = [];
    const ws = new WebSocket(`${engine.url.replace('http', 'ws')}/ws/metrics`, { headers: AUTH });
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

    const { id, label } = await startTest({
      name: 'stack-imbalanced',
      // kube-proxy style: one pick per connection; 2 keep-alive connections for 5 pods leave 3 idle.
      target: { kind: 'lab', pods: 5, policy: 'round-robin', mode: 'l4', podBehaviour: [{ latency: 'fixed:1ms', errorRate: 0.1 }] },
      load: { model: 'open', stages: [{ rate: 60, duration: '60s' }] },
      connections: { keepAlive: true, maxConnections: 2 },
      // 2% of the requests wait a second (p99 over 500 ms), whichever pods the connections reach; active throughout.
      faults: [{ type: 'latency', pods: ['pod-1', 'pod-2', 'pod-3', 'pod-4', 'pod-5'], delay: '1s', fraction: 0.02, at: '0s', duration: '60s' }],
    });
    try {
      const delivered = await waitFor(async () => {
        const firing = (await engineAlerts('?status=firing')).filter((a) => a.labels.test === label || a.name === 'ScaleEngineDown');
        return FIRING.every((n) => firing.some((a) => a.name === n)) ? firing : undefined;
      }, 40_000).catch(async (e: Error) => {
        throw new Error(`${e.message}; the engine has ${JSON.stringify((await engineAlerts()).map((a) => [a.name, a.status]))}; Prometheus ALERTS: ${JSON.stringify((await instantQuery(prometheus.url, 'ALERTS')).map((s) => s.metric))}`);
      });
      process.stderr.write(`stack test: ${FIRING.join(', ')} delivered to the engine ${Date.now() - t0} ms after the imbalanced test started\n`);

      const imbalance = delivered.find((a) => a.name === 'ScaleImbalance')!;
      expect(imbalance.labels).toMatchObject({ alertname: 'ScaleImbalance', severity: 'warning', test: label });
      expect(imbalance.annotations.summary).toBe(`Load is imbalanced in test ${label}`);
      expect(imbalance.annotations.description).toMatch(/balance score 0\.\d{3} /);
      expect(imbalance.annotations.runbook_url).toBe('README.md#scaleimbalance');
      // The fingerprint Alertmanager sent is the one the engine computes for senders that give none.
      expect(imbalance.fingerprint).toBe(labelsFingerprint(imbalance.labels));
      expect(delivered.find((a) => a.name === 'ScaleEngineDown')!.labels.instance).toBe(`127.0.0.1:${ports.dead}`);
      // Streamed on the WebSocket and shown in GET /api/metrics.
      expect(messages.some((m) => m.type === 'alert' && m.kind === 'firing' && m.alert?.name === 'ScaleImbalance' && m.alert.labels.test === label)).toBe(true);
      const live = await call(engine.url, 'GET', '/api/metrics', undefined, AUTH);
      expect(live.body.alerts.map((a: { name: string }) => a.name)).toEqual(expect.arrayContaining(FIRING));

      // Every query of every dashboard (variables substituted as Grafana would) and every rule.
      const vars = { test: label, datasource: 'prometheus', __rate_interval: '1m', __interval: '5s', __range: '5m' };
      const cases: QueryCase[] = [
        ...dashboards().flatMap((d) => queriesOf(d.json).map((q) => ({ ...q, expr: substitute(q.expr, vars), mustReturnData: true }))),
        ...allRules().map((r) => ({ where: `${r.file}: ${r.record ?? r.alert}`, expr: r.expr, mustReturnData: r.record !== undefined || FIRING.includes(r.alert!) })),
      ];
      expect(cases.length).toBeGreaterThan(50);
      expect(await checkQueries(prometheus.url, cases)).toEqual([]);
      // The check names what no metric feeds.
      const misspelt = await checkQueries(prometheus.url, [
        { where: 'self-check panel', expr: `sum(rate(scale_requests_total{test="${label}", code="erorr"}[1m]))`, mustReturnData: true },
        { where: 'self-check variable', expr: 'label_values(scale_test_runing, test)', labelValues: { metric: 'scale_test_runing', label: 'test' }, mustReturnData: true },
      ]);
      expect(misspelt).toEqual([
        `self-check panel: no metric feeds scale_requests_total{test="${label}", code="erorr"}`,
        `self-check panel: returns no data: sum(rate(scale_requests_total{test="${label}", code="erorr"}[1m]))`,
        'self-check variable: label_values(scale_test_runing, test) lists no values',
      ]);
    } finally {
      await call(engine.url, 'POST', `/api/load-test/stop/${id}`, undefined, AUTH);
    }

    // Stopped: no longer running, so the alert resolves and the engine records its end.
    const resolved = await waitFor(async () => (await engineAlerts('?name=ScaleImbalance')).find((a) => a.labels.test === label && a.status === 'resolved'), 20_000);
    expect(Date.parse(resolved.endsAt!)).toBeGreaterThan(0);
    await waitFor(async () => (messages.some((m) => m.type === 'alert' && m.kind === 'resolved' && m.alert?.name === 'ScaleImbalance') ? true : undefined), 5000);
    ws.close();
    process.stderr.write(`stack test: imbalanced phase ${Date.now() - t0} ms\n`);
  }, 120_000);
});
