import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseDistribution, type Distribution } from '../core/distribution.js';
import type { Issue } from '../core/errors.js';
import { mathRandom, seededRandom } from '../core/random.js';
import { DEFAULT_POD_BEHAVIOUR, type PodBehaviour } from '../spec/pod-behaviour.js';
import { POD_SLOT, sharedCounters } from './counters.js';
import { checkPodFaults, type PodFaults } from './pod-faults.js';
import { POD_HEADER, PodServer } from './pod-server.js';

/**
 * The lab's pod server as a backend for a cluster (the `scale-demo-backend` image): the same
 * behaviour knobs, the pod header set from POD_NAME (the downward API), and two paths of its
 * own: the fault endpoint, through which the engine injects latency, errors, resets and slow
 * bodies (via the API server's pod proxy), and Prometheus metrics.
 *
 * Fault endpoint: `GET /_scale/faults` answers `{ backend, pod, faults }`; `POST /_scale/faults`
 * with the complete fault state (`{}` clears everything) replaces it and answers the same.
 * Fault shapes are lab/pod-faults.ts's, distributions as objects (`{ "kind": "fixed", "ms": 200 }`).
 */
export const FAULT_PATH = '/_scale/faults';
export const METRICS_PATH = '/metrics';
/** What the fault endpoint says it is: the engine refuses latency/error faults on any other backend. */
export const DEMO_BACKEND_ID = 'scale-demo-backend';
const MAX_BODY = 65_536;

export interface DemoBackendOptions {
  /** The pod's name, sent in the pod header (POD_NAME from the downward API). */
  name: string;
  host: string;
  port: number;
  behaviour: PodBehaviour;
  /** Empty: no pod header (to try the Prometheus fallback). */
  podHeader: string;
  seed?: number;
}

/** What the fault endpoint answers. */
export interface FaultEndpointReply {
  backend: typeof DEMO_BACKEND_ID;
  pod: string;
  faults: PodFaults;
}

export class DemoBackend {
  private constructor(
    private readonly pod: PodServer,
    private readonly counters: Float64Array,
    readonly name: string,
    readonly port: number,
  ) {}

  static async start(o: DemoBackendOptions): Promise<DemoBackend> {
    const counters = sharedCounters();
    let self: DemoBackend | undefined;
    const pod = new PodServer({
      name: o.name,
      behaviour: o.behaviour,
      random: o.seed === undefined ? mathRandom : seededRandom(o.seed),
      counters,
      host: o.host,
      port: o.port,
      podHeader: o.podHeader,
      control: (path, req, res) => self?.control(path, req, res) ?? false,
    });
    const port = await pod.start();
    self = new DemoBackend(pod, counters, o.name, port);
    return self;
  }

  /** Cumulative counters (served, errors, busy ms, in service), as the metrics endpoint shows them. */
  stats(): { served: number; errors: number; busyMs: number; inService: number; up: boolean } {
    const c = this.counters;
    return { served: c[POD_SLOT.served], errors: c[POD_SLOT.errors], busyMs: c[POD_SLOT.busyMs], inService: c[POD_SLOT.inService], up: c[POD_SLOT.up] === 1 };
  }

  /** Crashes the server (connections refused) until `start`; for a cluster fixture's pod that dies. */
  stop(): Promise<void> {
    return this.pod.stop();
  }

  close(): Promise<void> {
    return this.pod.stop();
  }

  private control(path: string, req: IncomingMessage, res: ServerResponse): boolean {
    if (path === METRICS_PATH && req.method === 'GET') {
      req.resume();
      send(res, 200, metricsText(this.name, this.stats()), 'text/plain; version=0.0.4');
      return true;
    }
    if (path !== FAULT_PATH) return false;
    if (req.method === 'GET') {
      req.resume();
      send(res, 200, JSON.stringify(this.reply()), 'application/json');
      return true;
    }
    if (req.method !== 'POST') {
      req.resume();
      send(res, 405, JSON.stringify({ error: 'use GET or POST' }), 'application/json');
      return true;
    }
    readBody(req).then(
      (text) => {
        const parsed = parseFaults(text);
        if (!Array.isArray(parsed)) {
          this.pod.setFaults(parsed);
          send(res, 200, JSON.stringify(this.reply()), 'application/json');
        } else send(res, 400, JSON.stringify({ error: 'invalid faults', details: parsed }), 'application/json');
      },
      (err: Error) => send(res, 413, JSON.stringify({ error: err.message }), 'application/json'),
    );
    return true;
  }

  private reply(): FaultEndpointReply {
    return { backend: DEMO_BACKEND_ID, pod: this.name, faults: this.pod.currentFaults };
  }
}

/** A fault state from the endpoint's body, or every problem with it. */
export function parseFaults(text: string): PodFaults | Issue[] {
  let body: unknown;
  try {
    body = JSON.parse(text || '{}');
  } catch {
    return [{ path: '', message: 'the body is not JSON' }];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [{ path: '', message: 'must be an object' }];
  const f = body as PodFaults;
  const issues = checkPodFaults(f, 'faults');
  if (f.delay && typeof f.delay.latency === 'object') issues.push(...checkDistribution(f.delay.latency, 'faults.delay.latency'));
  return issues.length > 0 ? issues : f;
}

function checkDistribution(d: Distribution, path: string): Issue[] {
  const ok =
    (d.kind === 'fixed' && finite(d.ms)) ||
    (d.kind === 'exp' && finite(d.meanMs)) ||
    (d.kind === 'lognormal' && finite(d.meanMs) && finite(d.sigma) && d.sigma <= 5) ||
    (d.kind === 'uniform' && finite(d.minMs) && finite(d.maxMs) && d.maxMs >= d.minMs && d.maxMs <= 60_000);
  return ok ? [] : [{ path, message: 'not a distribution (fixed, exp, lognormal or uniform with times in ms, at most 60 s)' }];
}

const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 60_000;

/**
 * Reads a demo backend's settings from its environment: POD_NAME (or HOSTNAME), HOST (0.0.0.0),
 * PORT (8080), SCALE_POD_HEADER (x-scale-pod; empty for none) and the behaviour knobs of a lab
 * pod: SCALE_LATENCY (a distribution, exp:5ms), SCALE_CONCURRENCY (64), SCALE_ERROR_RATE (0),
 * SCALE_ERROR_STATUS (500), SCALE_RESPONSE_BYTES (64). Returns every problem at once.
 */
export function demoBackendOptions(env: Record<string, string | undefined>): DemoBackendOptions | Issue[] {
  const issues: Issue[] = [];
  const d = DEFAULT_POD_BEHAVIOUR;
  const num = (key: string, def: number, min: number, max: number, int: boolean): number => {
    const raw = env[key];
    if (raw === undefined || raw === '') return def;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
      issues.push({ path: key, message: `must be ${int ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${raw}")` });
      return def;
    }
    return v;
  };
  let latency = d.latency;
  if (env.SCALE_LATENCY) {
    const p = parseDistribution(env.SCALE_LATENCY);
    if (typeof p === 'string') issues.push({ path: 'SCALE_LATENCY', message: p });
    else latency = p;
  }
  const name = env.POD_NAME || env.HOSTNAME || '';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(name)) issues.push({ path: 'POD_NAME', message: 'set it to the pod name (downward API metadata.name)' });
  const header = env.SCALE_POD_HEADER ?? POD_HEADER;
  if (header !== '' && !/^[A-Za-z0-9-]{1,100}$/.test(header)) issues.push({ path: 'SCALE_POD_HEADER', message: 'not a header name' });
  const options: DemoBackendOptions = {
    name,
    host: env.HOST || '0.0.0.0',
    port: num('PORT', 8080, 0, 65535, true),
    podHeader: header.toLowerCase(),
    behaviour: {
      latency,
      concurrency: num('SCALE_CONCURRENCY', d.concurrency, 1, 10_000, true),
      errorRate: num('SCALE_ERROR_RATE', d.errorRate, 0, 1, false),
      errorStatus: num('SCALE_ERROR_STATUS', d.errorStatus, 400, 599, true),
      responseBytes: num('SCALE_RESPONSE_BYTES', d.responseBytes, 0, 1_048_576, true),
    },
  };
  return issues.length > 0 ? issues : options;
}

function metricsText(pod: string, s: ReturnType<DemoBackend['stats']>): string {
  const l = `{pod="${pod.replace(/["\\\n]/g, '_')}"}`;
  return [
    '# HELP scale_demo_requests_total Requests the demo backend answered (health probes excluded).',
    '# TYPE scale_demo_requests_total counter',
    `scale_demo_requests_total${l} ${s.served}`,
    '# HELP scale_demo_errors_total Of those, answered with a status >= 400.',
    '# TYPE scale_demo_errors_total counter',
    `scale_demo_errors_total${l} ${s.errors}`,
    '# HELP scale_demo_busy_seconds_total Time requests spent in service, summed over concurrent requests.',
    '# TYPE scale_demo_busy_seconds_total counter',
    `scale_demo_busy_seconds_total${l} ${s.busyMs / 1000}`,
    '# HELP scale_demo_in_service Requests in service now.',
    '# TYPE scale_demo_in_service gauge',
    `scale_demo_in_service${l} ${s.inService}`,
    '',
  ].join('\n');
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`the body is larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
