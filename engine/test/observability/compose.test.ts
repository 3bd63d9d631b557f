import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTestSpec } from '../../src/spec/validate.js';
import { call, startTestEngine, type TestEngine } from '../helpers/test-engine.js';
import { readYaml, repoPath, ROOT, run } from './repo.js';

/**
 * Docker cannot run here: the compose file is validated by Debian's docker-compose (v1,
 * `config -q`), its wiring against the provisioning files, and the Dockerfile by its structure
 * (the install, build and prune steps and the runtime layout were run by hand outside Docker).
 */
const compose = readYaml('docker-compose.yml');
const services = compose.services as Record<string, any>;

describe('docker-compose.yml', () => {
  it('passes `docker-compose -f docker-compose.yml config -q`, with and without ENGINE_TOKEN', () => {
    const env = { ...process.env };
    delete env.ENGINE_TOKEN;
    expect(run('dockerCompose', ['-f', 'docker-compose.yml', 'config', '-q'], { env })).toEqual({ status: 0, out: '' });
    expect(run('dockerCompose', ['-f', 'docker-compose.yml', 'config', '-q'], { env: { ...env, ENGINE_TOKEN: 's3cret' } })).toEqual({ status: 0, out: '' });
  });

  it('runs the engine, Prometheus, Alertmanager and Grafana, each with a health check, data in named volumes, ports on 127.0.0.1 only', () => {
    for (const name of ['engine', 'prometheus', 'alertmanager', 'grafana']) {
      expect({ name, healthcheck: Array.isArray(services[name]?.healthcheck?.test) }).toEqual({ name, healthcheck: true });
      for (const p of services[name].ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
    }
    const named = Object.keys(compose.volumes);
    for (const [name, mount] of [['engine', '/data'], ['prometheus', '/prometheus'], ['alertmanager', '/alertmanager'], ['grafana', '/var/lib/grafana']]) {
      const volume = (services[name].volumes as string[]).find((v) => v.split(':')[1] === mount)?.split(':')[0];
      expect({ name, volume: named.includes(volume ?? '') }).toEqual({ name, volume: true });
    }
  });

  it('builds the engine from engine/Dockerfile and points Prometheus and Alertmanager at it', () => {
    expect(services.engine.build).toEqual({ context: '.', dockerfile: 'engine/Dockerfile' });
    expect(services['lab-traffic'].build).toEqual(services.engine.build);
    expect(services['lab-traffic'].image).toBe(services.engine.image);
    const prom = readYaml('provisioning/prometheus/prometheus.yml');
    const job = prom.scrape_configs.find((j: { job_name: string }) => j.job_name === 'scale-engine');
    expect(job.static_configs[0].targets).toEqual(['engine:8000']);
    expect(prom.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    expect(services.prometheus.volumes).toContain('./provisioning/prometheus:/etc/prometheus:ro');
    expect(services.prometheus.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });

  it('passes the engine token through the environment to the engine, Grafana, Alertmanager and the demo traffic', () => {
    for (const name of ['engine', 'grafana', 'alertmanager', 'lab-traffic']) expect(services[name].environment.ENGINE_TOKEN).toMatch(/^\$\{ENGINE_TOKEN(:-)?\}$/);
    // Alertmanager reads it from the file its configuration names.
    const am = readYaml('provisioning/alertmanager/alertmanager.yml');
    const file = am.receivers[0].webhook_configs[0].http_config.authorization.credentials_file as string;
    expect(services.alertmanager.command[0]).toContain(`printf '%s' "$$ENGINE_TOKEN" > ${file} &&`);
    expect(services.alertmanager.command[0]).toContain('--config.file=/etc/scale-alertmanager/alertmanager.yml');
    expect(services.alertmanager.volumes).toContain('./provisioning/alertmanager:/etc/scale-alertmanager:ro');
    expect(services.grafana.environment.ENGINE_URL).toBe('http://engine:8000');
  });

  it('mounts the built plugin in Grafana and allows unsigned loading for exactly its two plugin ids', () => {
    const g = services.grafana;
    expect(g.volumes).toContain('./plugin/dist:/var/lib/grafana/plugins/scale-lbtester-app:ro');
    expect(g.volumes).toContain('./provisioning/grafana:/etc/grafana/provisioning:ro');
    expect(String(g.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',').sort()).toEqual(['scale-engine-datasource', 'scale-lbtester-app']);
    const home = String(g.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH);
    expect(home.startsWith('/var/lib/grafana/dashboards/scale/')).toBe(true);
    expect(existsSync(repoPath(`dashboards/${home.split('/').at(-1)}`))).toBe(true);
  });
});

describe('engine/Dockerfile', () => {
  const text = readFileSync(repoPath('engine/Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => /^[A-Z]+\s/.test(l));

  it('is multi-stage on node:20-slim, installs with npm ci from the lockfile, runs `scale serve` as a non-root user', () => {
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms).toEqual(['FROM node:20-slim AS build', 'FROM node:20-slim']);
    expect(text).toMatch(/COPY package\.json package-lock\.json/);
    expect(text).toMatch(/RUN npm ci /);
    expect(text).not.toMatch(/npm install/);
    const runtime = lines.slice(lines.indexOf('FROM node:20-slim'));
    const user = runtime.findIndex((l) => l.startsWith('USER '));
    expect(runtime[user]).toBe('USER node');
    expect(user).toBeLessThan(runtime.findIndex((l) => l.startsWith('ENTRYPOINT ')));
    expect(runtime).toContain('ENTRYPOINT ["node", "engine/bin/scale.js"]');
    expect(runtime).toContain('CMD ["serve"]');
  });

  it('copies only what exists in the build context and .dockerignore lets through', () => {
    const ignore = readFileSync(repoPath('.dockerignore'), 'utf8');
    for (const l of lines.filter((x) => x.startsWith('COPY ') && !x.includes('--from='))) {
      const sources = l.replace(/^COPY\s+/, '').split(/\s+/).slice(0, -1);
      for (const s of sources) expect({ source: s, exists: existsSync(repoPath(s)) }).toEqual({ source: s, exists: true });
    }
    expect(ignore).toMatch(/^\*\*\/node_modules$/m);
    expect(ignore).toMatch(/^!plugin\/package\.json$/m);
  });
});

describe('compose health checks and demo traffic, against a real engine', () => {
  const TOKEN = 'compose-test-token';
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine({ ENGINE_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t.close();
  });

  // The engine runs in this process: the commands must not block its event loop (no spawnSync).
  const exitCode = (argv: string[]) =>
    new Promise<number | null>((resolve) => {
      const child = spawn(argv[0] === 'node' ? process.execPath : argv[0], argv.slice(1), { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });

  it("the engine's health check command succeeds against a live engine and fails against a closed port", async () => {
    const [, ...argv] = services.engine.healthcheck.test as string[];
    const port = new URL(t.url).port;
    expect(await exitCode(argv.map((a) => a.replace('127.0.0.1:8000', `127.0.0.1:${port}`)))).toBe(0);
    expect(await exitCode(argv.map((a) => a.replace('127.0.0.1:8000', '127.0.0.1:1')))).toBe(1);
  });

  it('the demo specs are valid TestSpecs: one balanced L7 test, one L4 keep-alive test with fewer connections than pods', () => {
    const specs = readdirSync(repoPath('provisioning/demo'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => parseTestSpec(JSON.parse(readFileSync(repoPath(`provisioning/demo/${f}`), 'utf8'))));
    expect(specs.map((s) => s.target.kind === 'lab' && s.target.mode).sort()).toEqual(['l4', 'l7']);
    const l4 = specs.find((s) => s.target.kind === 'lab' && s.target.mode === 'l4')!;
    expect(l4.connections.keepAlive).toBe(true);
    expect(l4.connections.maxConnections).toBeLessThan(l4.target.kind === 'lab' ? l4.target.pods : 0);
  });

  it('provisioning/demo/lab-traffic.mjs starts each spec, waits for it to end, and stops after its rounds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scale-demo-'));
    try {
      const spec = { name: 'demo-quick', target: { kind: 'lab', pods: 2, podBehaviour: [{ latency: 'fixed:1ms' }] }, load: { model: 'open', stages: [{ rate: 20, duration: '1s' }] } };
      writeFileSync(join(dir, 'quick.json'), JSON.stringify(spec));
      const child = spawn(process.execPath, [repoPath('provisioning/demo/lab-traffic.mjs')], {
        cwd: ROOT,
        env: { ...process.env, ENGINE_URL: t.url, ENGINE_TOKEN: TOKEN, DEMO_SPECS: dir, DEMO_ROUNDS: '2', DEMO_POLL_MS: '250' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
        child.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining('demo-quick: round 2 finished') });
      const results = await call(t.url, 'GET', '/api/results?name=demo-quick', undefined, { authorization: `Bearer ${TOKEN}` });
      expect(results.body.total ?? results.body.results?.length).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
