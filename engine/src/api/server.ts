import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { TargetAllowList } from '../config/allow-list.js';
import { isLoopbackHost, type EngineConfig } from '../config/config.js';
import { ScaleError } from '../core/errors.js';
import { AlertStore } from '../alerts/alert-store.js';
import { FaultManager } from '../chaos/fault-manager.js';
import { AutoTuner } from '../tuning/auto-tuner.js';
import { recordFaults } from '../chaos/record-faults.js';
import { EngineMetrics } from '../metrics/engine-metrics.js';
import { testLabel } from '../metrics/test-label.js';
import { cleanUpLeftovers } from '../k8s/janitor.js';
import { KubeContext, kubeSettingsFrom, type KubeSettings } from '../k8s/kube-context.js';
import { LabTargetAdapter } from '../targets/lab-target.js';
import { JobLauncher } from '../k8s/worker-job.js';
import { WorkerHub } from '../load/distributed/worker-hub.js';
import { localWorkers, runDeps, type WorkerSetup } from '../runs/default-deps.js';
import { RunManager } from '../runs/run-manager.js';
import type { RunDeps } from '../runs/test-run.js';
import { recordRun } from '../store/record-run.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { createApp } from './app.js';
import { LiveFeed } from './live-feed.js';
import type { Services } from './services.js';
import { attachLiveSocket } from './ws.js';

export const ENGINE_VERSION = '0.1.0';

/** Where distributed runs put their workers: an Indexed Job when the engine knows its image (in a cluster), else local processes. */
function workerSetup(config: EngineConfig, kube: KubeContext): WorkerSetup {
  const image = config.K8S_WORKER_IMAGE;
  if (!image) return localWorkers();
  const hub = new WorkerHub({ host: config.HOST, port: config.WORKER_PORT });
  const url = config.K8S_WORKER_URL ?? `ws://scale-engine.${config.K8S_NAMESPACE}.svc:${config.WORKER_PORT}/`;
  return { hub, where: 'cluster', launcher: (runId) => new JobLauncher(kube.api(), { namespace: config.K8S_NAMESPACE, image, url: () => url }, runId) };
}

export interface Engine {
  /** Base URL, e.g. http://127.0.0.1:8000 */
  url: string;
  server: Server;
  services: Services;
  /** Graceful shutdown: stop tests, write results, close sockets and the store (bounded by SHUTDOWN_TIMEOUT). */
  close(): Promise<void>;
}

export interface EngineOptions {
  log?: Logger;
  /** Replaces the real targets and load generator (tests). */
  deps?: RunDeps;
  /** Replaces the cluster settings from the configuration (tests give the fixture cluster's). */
  kube?: KubeSettings;
}

/**
 * Refuses an engine that anyone on the network could drive: on a HOST other than loopback, every
 * client that reaches it could start load tests aimed at the allow-list, so a token is required
 * unless the operator says, with ENGINE_ALLOW_UNAUTHENTICATED, that the API is open on purpose.
 */
export function assertSafeToServe(config: EngineConfig): void {
  if (isLoopbackHost(config.HOST) || config.ENGINE_TOKEN || config.ENGINE_ALLOW_UNAUTHENTICATED) return;
  throw new ScaleError('invalid_input', `refusing to serve an open API on ${config.HOST}: HOST is not a loopback address and ENGINE_TOKEN is not set`, [
    { path: 'HOST (--host)', message: `anyone who can reach ${config.HOST}:${config.PORT} could start load tests against the allow-list (${config.ENGINE_ALLOWED_TARGETS})` },
    { path: 'ENGINE_TOKEN', message: 'set a bearer token (clients send "Authorization: Bearer <token>"), or keep HOST=127.0.0.1' },
    { path: 'ENGINE_ALLOW_UNAUTHENTICATED (--allow-unauthenticated)', message: 'or set it to true to serve the API without a token on purpose (behind your own proxy or network policy)' },
  ]);
}

/** Builds every service, wires the subscribers, and listens. */
export async function startEngine(config: EngineConfig, o: EngineOptions = {}): Promise<Engine> {
  assertSafeToServe(config);
  const log =
    o.log ??
    pino(
      {
        level: config.LOG_LEVEL,
        // Tokens never reach the logs, whatever a caller passes in.
        redact: { paths: ['req.headers.authorization', '*.ENGINE_TOKEN', '*.METRICS_TOKEN', '*.OPENAI_API_KEY', 'config.*TOKEN', 'config.OPENAI_API_KEY'], censor: '[redacted]' },
      },
      // Logs go to stderr: stdout belongs to what the CLI prints (the demo, --json).
      pino.destination({ fd: 2, sync: true }),
    );
  try {
    mkdirSync(config.DATA_DIR, { recursive: true });
  } catch (err) {
    throw new ScaleError('invalid_input', `cannot create the results folder ${config.DATA_DIR}: ${(err as Error).message}`, [{ path: 'DATA_DIR (--data-dir)', message: 'use a folder this user can write' }]);
  }
  const store = new SqliteStore(join(config.DATA_DIR, 'scale.db'));
  const interrupted = store.markInterrupted();
  if (interrupted.length) log.warn({ interrupted }, 'tests found running at start were marked interrupted');

  const metrics = new EngineMetrics();
  // Runs attach to the manager of their deps, so the API must use that same one.
  const faults = o.deps?.faults ?? new FaultManager({ metrics });
  const reconciled = faults.reconcile(store, interrupted);
  if (reconciled.length) log.warn({ faults: reconciled.map((f) => f.id) }, 'faults left active by a crash were recorded as rolled back');
  const kube = new KubeContext(o.kube ?? kubeSettingsFrom(config));
  // An engine told about a cluster first removes what a crashed engine left there.
  if (o.kube || config.K8S_NAMESPACES) {
    try {
      // Bounded: a cluster that does not answer must not keep the engine from starting.
      let timer: NodeJS.Timeout | undefined;
      const reports = await Promise.race([
        cleanUpLeftovers(kube.api()),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the cluster did not answer within 20 s')), 20_000))),
      ]).finally(() => clearTimeout(timer));
      for (const r of reports) {
        if (r.deleted.length || r.restored.length) log.warn({ namespace: r.namespace, deleted: r.deleted, restored: r.restored }, 'removed what a previous engine left in the cluster');
        if (r.failed.length) log.error({ namespace: r.namespace, failed: r.failed }, 'could not clean up the cluster');
      }
    } catch (err) {
      log.error({ err }, 'could not clean up the cluster');
    }
  }
  const workers = workerSetup(config, kube);
  const given = o.deps ?? runDeps(new TargetAllowList(config.ENGINE_ALLOWED_TARGETS), kube, workers);
  const deps: RunDeps = { ...given, faults };
  const runs = new RunManager(deps, {
    maxConcurrent: config.MAX_CONCURRENT_TESTS,
    maxUsers: config.MAX_USERS,
    maxRate: config.MAX_RATE,
    maxDurationMs: config.MAX_DURATION,
    maxPods: config.MAX_PODS,
  });
  // Lab pod gauges are read at scrape time from the labs of the running tests.
  metrics.setLabPods(() =>
    runs.active().flatMap((run) => {
      const target = run.openedTarget;
      if (!(target instanceof LabTargetAdapter)) return [];
      const test = testLabel(run.id, run.spec.name);
      return target.lab.stats().map((p) => ({ test, pod: p.name, up: p.up && p.healthy, inflight: p.inService + p.queued }));
    }),
  );
  const alerts = new AlertStore();
  const live = new LiveFeed(runs, alerts);
  const tuner = new AutoTuner({ runs, runDeps: deps, store, metrics });
  runs.on('run', (run) => {
    const onError = (err: unknown, ctx: { id: string; op: string }) => log.error({ err, test: ctx.id, op: ctx.op }, 'could not store a result');
    recordRun(store, run, { onError });
    recordFaults(store, run, { onError: (err) => onError(err, { id: run.id, op: 'fault' }) });
    metrics.observeRun(run);
    run.on('status', (status) => log.info({ test: run.id, name: run.spec.name, status }, 'test status'));
    run.on('problem', (p) => log.error({ err: p.error, test: run.id, op: p.op, elapsed: p.elapsed }, p.op === 'tick' ? 'a window of the test could not be scored or published' : `test problem (${p.op}); the run went on`));
  });

  const services: Services = { config, runs, store, metrics, live, faults, tuner, alerts, runDeps: deps, log, version: ENGINE_VERSION, startedAt: Date.now() };
  const app = createApp(services);
  const server = createServer(app);
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  const socket = attachLiveSocket(server, live, { token: config.ENGINE_TOKEN });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (err) {
    await socket.close();
    metrics.close();
    store.close();
    throw listenError(err, config);
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  log.info({ url, dataDir: config.DATA_DIR, auth: Boolean(config.ENGINE_TOKEN) }, 'engine listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      server.close();
      await tuner.disable().catch((err: unknown) => log.error({ err }, 'could not revert the tuner'));
      await runs.stopAll(config.SHUTDOWN_TIMEOUT);
      await faults.shutdown();
      await workers.hub.close();
      await socket.close();
      server.closeAllConnections();
      metrics.close();
      store.close();
      log.info('engine stopped');
    })());
  return { url, server, services, close };
}

/** A listen failure as one clear line with what to do, instead of a stack trace. */
function listenError(err: unknown, config: EngineConfig): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const where = `${config.HOST}:${config.PORT}`;
  const port = { path: 'PORT (--port)', message: 'choose another port, or 0 for any free one' };
  switch (code) {
    case 'EADDRINUSE':
      return new ScaleError('invalid_input', `cannot listen on ${where}: the port is already in use`, [port]);
    case 'EACCES':
      return new ScaleError('invalid_input', `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`, [port]);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ScaleError('invalid_input', `cannot listen on ${where}: ${config.HOST} is not an address of this machine`, [{ path: 'HOST (--host)', message: 'use 127.0.0.1, or an address this machine has' }]);
    default:
      return err instanceof Error ? err : new Error(String(err));
  }
}
