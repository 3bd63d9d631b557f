import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { durationMs } from '../../src/core/duration.js';
import { readYaml, RULE_FILES, tool } from './repo.js';

/**
 * Real Prometheus and Alertmanager (Debian's binaries) for the stack test: started on 127.0.0.1
 * free ports with temporary data folders and explicit flags, stopped by PID. Their configuration
 * is the committed one with the addresses of this run and short intervals.
 */

export interface Daemon {
  url: string;
  pid: number;
  /** The process's stderr so far (for failure messages). */
  log(): string;
  stop(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, log: () => string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before it was ready: ${log()}`);
    const ok = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms: ${log()}`);
}

async function startDaemon(bin: string, args: string[], port: number): Promise<Daemon> {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitReady(url, child, () => err);
  } catch (e) {
    await stop();
    throw new Error(`${bin}: ${(e as Error).message}`);
  }
  return { url, pid: child.pid!, log: () => err, stop };
}

/** Where the stack test's files live; `remove()` deletes them all. */
export function workDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'scale-stack-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How much shorter every `for` is in the copy of the rules (30 s → 3 s, 1 min → 6 s). */
export const FOR_DIVISOR = 10;

/** A Prometheus duration (`30s`, `1m`, `1h30m`) divided by {@link FOR_DIVISOR}, at least 1 s. */
export function shortened(d: string): string {
  return `${Math.max(1000, Math.round(durationMs(d) / FOR_DIVISOR))}ms`;
}

/**
 * Copies the committed rule files with every group evaluated each second and every `for`
 * divided by {@link FOR_DIVISOR} (so the rules' relative patience is kept: start-up effects that a
 * minute filters out are still filtered); expressions, labels and annotations stay as committed.
 */
export function copyRules(dir: string): string[] {
  const out = join(dir, 'rules');
  mkdirSync(out, { recursive: true });
  return RULE_FILES.map((file) => {
    const doc = readYaml<{ groups: Array<{ interval?: string; rules: Array<{ for?: string }> }> }>(file);
    for (const g of doc.groups) {
      g.interval = '1s';
      for (const r of g.rules) if (r.for) r.for = shortened(r.for);
    }
    const path = join(out, file.split('/').at(-1)!);
    writeFileSync(path, stringify(doc));
    return path;
  });
}

/** The committed prometheus.yml with this run's addresses, scraping and evaluating every second. */
export function writePrometheusConfig(path: string, o: { engineTargets: string[]; self: string; alertmanager: string; rules: string[] }): void {
  const doc = readYaml('provisioning/prometheus/prometheus.yml');
  doc.global = { ...doc.global, scrape_interval: '1s', evaluation_interval: '1s' };
  doc.rule_files = o.rules;
  doc.alerting.alertmanagers[0].static_configs[0].targets = [o.alertmanager];
  for (const job of doc.scrape_configs) job.static_configs[0].targets = job.job_name === 'scale-engine' ? o.engineTargets : [o.self];
  writeFileSync(path, stringify(doc));
}

/** The committed alertmanager.yml delivering to this run's engine with its token, without waiting. */
export function writeAlertmanagerConfig(dir: string, o: { engineUrl: string; token: string }): string {
  const doc = readYaml('provisioning/alertmanager/alertmanager.yml');
  Object.assign(doc.route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1m' });
  const tokenFile = join(dir, 'engine-token');
  writeFileSync(tokenFile, o.token, { mode: 0o600 });
  for (const r of doc.receivers)
    for (const hook of r.webhook_configs ?? []) {
      hook.url = `${o.engineUrl}/api/alerts`;
      hook.http_config.authorization.credentials_file = tokenFile;
    }
  const path = join(dir, 'alertmanager.yml');
  writeFileSync(path, stringify(doc));
  return path;
}

export async function startPrometheus(dir: string, config: string, port: number): Promise<Daemon> {
  const data = join(dir, 'prometheus-data');
  mkdirSync(data, { recursive: true });
  return startDaemon(
    tool('prometheus'),
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Firing alerts are resent every second (default 1 minute), so Alertmanager sees changes at once.
      '--rules.alert.resend-delay=1s',
      '--log.level=warn',
    ],
    port,
  );
}

export async function startAlertmanager(dir: string, config: string, port: number): Promise<Daemon> {
  const data = join(dir, 'alertmanager-data');
  mkdirSync(data, { recursive: true });
  return startDaemon(
    tool('alertmanager'),
    [`--config.file=${config}`, `--storage.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    port,
  );
}

/** One sample of an instant query. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** Runs an instant query; an error of Prometheus (bad PromQL) is thrown with its message. */
export async function instantQuery(prometheus: string, expr: string): Promise<Sample[]> {
  const res = await fetch(`${prometheus}/api/v1/query?${new URLSearchParams({ query: expr })}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: Sample[] | [number, string] } };
  if (body.status !== 'success') throw new Error(body.error ?? `status ${res.status}`);
  const r = body.data!.result;
  // A scalar (e.g. vector(0) folded by Prometheus) is one value.
  return body.data!.resultType === 'scalar' ? [{ metric: {}, value: r as [number, string] }] : (r as Sample[]);
}

/** Values of a label among the series of `match` (what Grafana's label_values(match, label) lists). */
export async function labelValues(prometheus: string, label: string, match: string): Promise<string[]> {
  const res = await fetch(`${prometheus}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': match })}`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { status: string; error?: string; data?: string[] };
  if (body.status !== 'success') throw new Error(body.error ?? `status ${res.status}`);
  return body.data ?? [];
}
