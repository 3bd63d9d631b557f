import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowed, requestInfo, type PolicyRule, type RequestAttributes } from './rbac.js';
import { RESOURCES, selectorMatcher, type Obj, type ObjectStore, type StoreEvent } from './store.js';

/**
 * Test fixture: a Kubernetes API server on 127.0.0.1 that answers the REST shapes
 * @kubernetes/client-node sends (no real API server can run on these machines). It serves
 * list / get / create / merge-patch / delete of the kinds in store.ts, watch streams (one JSON
 * event per line; a version older than the history gets an ERROR event with a 410 Status, as a
 * compacted etcd does), the Deployment scale subresource, the pod proxy, metrics.k8s.io pod
 * metrics and `dryRun=All`. It checks a bearer token (401), authorises every request against a
 * namespaced Role's rules like the RBAC authorizer (403 with the API server's wording), and
 * refuses a patch that is not a merge patch (415). Tests can inject a status for matching
 * requests, drop every open watch connection, and read the log of requests.
 */

/** What the data plane answers for the parts that are not stored objects. */
export interface ClusterHooks {
  proxy(namespace: string, pod: string, port: string, method: string, path: string, body: string): Promise<{ status: number; body: string; type: string }>;
  podMetrics(namespace: string, selector?: string): unknown[];
}

export interface LoggedRequest extends RequestAttributes {
  method: string;
  path: string;
  contentType?: string;
  dryRun: boolean;
  status: number;
}

export interface Injection {
  /** Requests this applies to. */
  match: (a: RequestAttributes) => boolean;
  status: number;
  /** Applies this many times (default: until removed). */
  times?: number;
  reason?: string;
}

export interface ApiServerOptions {
  token: string;
  /** The engine's Role rules; undefined: everything allowed. */
  rules?: PolicyRule[];
  /** Namespaces the Role is bound in (default: every namespace). */
  boundNamespaces?: string[];
  /** The identity 403 messages name. */
  user?: string;
}

export class FixtureApiServer {
  readonly log: LoggedRequest[] = [];
  private readonly injections: Injection[] = [];
  private readonly watches = new Set<ServerResponse>();
  private server!: Server;
  url = '';

  constructor(
    readonly store: ObjectStore,
    private readonly hooks: ClusterHooks,
    readonly options: ApiServerOptions,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) status(res, 500, 'InternalError', String(err));
        else res.destroy();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Answers `status` to matching requests (once, `times` times, or until `clearInjections`). */
  inject(i: Injection): void {
    this.injections.push({ ...i });
  }

  clearInjections(): void {
    this.injections.length = 0;
  }

  /** Ends every open watch by destroying its connection (a dropped TCP connection, not a clean end). */
  dropWatches(): number {
    const n = this.watches.size;
    for (const w of this.watches) w.socket?.destroy();
    this.watches.clear();
    return n;
  }

  get openWatches(): number {
    return this.watches.size;
  }

  async close(): Promise<void> {
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const body = await readBody(req);
    const a = requestInfo(req.method ?? 'GET', url);
    const entry: LoggedRequest | undefined = a
      ? { ...a, method: req.method ?? 'GET', path: url.pathname, contentType: req.headers['content-type'], dryRun: url.searchParams.get('dryRun') === 'All', status: 0 }
      : undefined;
    if (entry) this.log.push(entry);
    const done = (code: number) => entry && (entry.status = code);
    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      done(401);
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (!a) {
      done(404);
      status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
      return;
    }
    if (!this.authorised(a)) {
      done(403);
      const who = this.options.user ?? 'system:serviceaccount:scale:scale-engine';
      const [res0, sub] = a.resource.split('/');
      status(
        res,
        403,
        'Forbidden',
        `${res0}${a.name ? ` "${a.name}"` : ''} is forbidden: User "${who}" cannot ${a.verb} resource "${res0}"${sub ? ` (subresource "${sub}")` : ''} in API group "${a.group}" in the namespace "${a.namespace}"`,
      );
      return;
    }
    const inj = this.injections.find((i) => i.match(a) && (i.times === undefined || i.times > 0));
    if (inj) {
      if (inj.times !== undefined) inj.times--;
      done(inj.status);
      status(res, inj.status, inj.reason ?? 'Injected', `injected ${inj.status} for ${a.verb} ${a.resource}`);
      return;
    }
    const code = await this.route(a, url, req, body, res);
    done(code);
  }

  private authorised(a: RequestAttributes): boolean {
    const rules = this.options.rules;
    if (!rules) return true;
    if (this.options.boundNamespaces && !this.options.boundNamespaces.includes(a.namespace ?? '')) return false;
    return allowed(rules, a);
  }

  private async route(a: RequestAttributes, url: URL, req: IncomingMessage, body: string, res: ServerResponse): Promise<number> {
    const ns = a.namespace!;
    const dry = url.searchParams.get('dryRun') === 'All';
    if (a.group === 'metrics.k8s.io' && a.resource === 'pods' && a.verb === 'list') {
      return json(res, 200, { kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: this.hooks.podMetrics(ns, url.searchParams.get('labelSelector') ?? undefined) });
    }
    if (a.resource === 'pods/proxy') {
      const [pod, port = ''] = (a.name ?? '').split(':');
      if (!this.store.get('pods', ns, pod)) return status(res, 404, 'NotFound', `pods "${pod}" not found`);
      const r = await this.hooks.proxy(ns, pod, port, req.method ?? 'GET', (a.rest ?? '/') + url.search, body);
      res.writeHead(r.status, { 'content-type': r.type });
      res.end(r.body);
      return r.status;
    }
    if (a.resource === 'deployments/scale') return this.scale(a, ns, req, body, res, dry);
    const kind = RESOURCES[a.resource];
    if (!kind) return status(res, 404, 'NotFound', `the server could not find the requested resource (${a.resource})`);
    switch (a.verb) {
      case 'list':
        return json(res, 200, {
          apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version,
          kind: `${kind.kind}List`,
          metadata: { resourceVersion: this.store.version },
          items: this.store.list(a.resource, ns, url.searchParams.get('labelSelector') ?? undefined),
        });
      case 'watch':
        this.watch(a.resource, ns, url, res);
        return 200;
      case 'get': {
        const o = this.store.get(a.resource, ns, a.name!);
        return o ? json(res, 200, o) : notFound(res, a);
      }
      case 'create': {
        const o = parse(body) as Obj | undefined;
        if (!o?.metadata || (!o.metadata.name && !o.metadata.generateName)) return status(res, 422, 'Invalid', 'metadata.name: Required value');
        try {
          return json(res, 201, this.store.create(a.resource, ns, o, dry));
        } catch {
          return status(res, 409, 'AlreadyExists', `${a.resource} "${o.metadata.name}" already exists`);
        }
      }
      case 'patch': {
        if (!isMergePatch(req)) return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json (got ${req.headers['content-type']})`);
        const patched = this.store.patch(a.resource, ns, a.name!, parse(body), dry);
        return patched ? json(res, 200, patched) : notFound(res, a);
      }
      case 'delete': {
        const gone = this.store.delete(a.resource, ns, a.name!, dry);
        return gone ? json(res, 200, gone) : notFound(res, a);
      }
      default:
        return status(res, 405, 'MethodNotAllowed', `${a.verb} is not supported on ${a.resource}`);
    }
  }

  private scale(a: RequestAttributes, ns: string, req: IncomingMessage, body: string, res: ServerResponse, dry: boolean): number {
    const d = this.store.get('deployments', ns, a.name!);
    if (!d) return notFound(res, { ...a, resource: 'deployments' });
    let replicas = (d.spec as { replicas?: number }).replicas ?? 1;
    if (a.verb === 'patch') {
      if (!isMergePatch(req)) return status(res, 415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/merge-patch+json');
      const p = parse(body) as { spec?: { replicas?: unknown } } | undefined;
      const r = p?.spec?.replicas;
      if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) return status(res, 422, 'Invalid', 'spec.replicas: Invalid value: must be a non-negative integer');
      replicas = r;
      if (!dry) this.store.patch('deployments', ns, a.name!, { spec: { replicas } });
    } else if (a.verb !== 'get') return status(res, 405, 'MethodNotAllowed', `${a.verb} is not supported on deployments/scale`);
    const sel = (d.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels ?? {};
    return json(res, 200, {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: a.name, namespace: ns, resourceVersion: this.store.version },
      spec: { replicas },
      status: { replicas: (d.status as { replicas?: number } | undefined)?.replicas ?? replicas, selector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',') },
    });
  }

  private watch(resource: string, ns: string, url: URL, res: ServerResponse): void {
    const selector = url.searchParams.get('labelSelector') ?? undefined;
    const match = selectorMatcher(selector);
    const rv = url.searchParams.get('resourceVersion');
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // The API server sends the headers at once; a client waits for them before the first event.
    res.flushHeaders();
    const send = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');
    if (rv) {
      const past = this.store.since(resource, ns, Number(rv));
      if (past === 'gone') {
        send('ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rv}`, reason: 'Expired', code: 410 });
        res.end();
        return;
      }
      for (const e of past) if (match(e.object.metadata.labels ?? {})) send(e.type, e.object);
    } else {
      for (const o of this.store.list(resource, ns, selector)) send('ADDED', o);
    }
    const onEvent = (e: StoreEvent) => {
      if (e.resource === resource && e.namespace === ns && match(e.object.metadata.labels ?? {})) send(e.type, e.object);
    };
    this.store.on('event', onEvent);
    this.watches.add(res);
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      this.store.off('event', onEvent);
      this.watches.delete(res);
    });
  }
}

function isMergePatch(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').split(';')[0].trim() === 'application/merge-patch+json';
}

function notFound(res: ServerResponse, a: RequestAttributes): number {
  return status(res, 404, 'NotFound', `${a.resource} "${a.name}" not found`);
}

function status(res: ServerResponse, code: number, reason: string, message: string): number {
  return json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

function json(res: ServerResponse, code: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
  return code;
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
