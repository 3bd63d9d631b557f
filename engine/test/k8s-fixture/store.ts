import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

/**
 * Test fixture: the object store of the fixture API server (api-server.ts), with what the
 * engine relies on from etcd and the API server: one resourceVersion counter, a bounded event
 * history that a watch resumes from (older versions are gone: 410), label selectors, JSON merge
 * patch (RFC 7386) and generateName.
 */

export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    generateName?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
    deletionTimestamp?: string;
  };
  [key: string]: unknown;
}

/** Kinds the fixture serves, by plural resource name. */
export const RESOURCES: Record<string, { group: string; version: string; kind: string }> = {
  pods: { group: '', version: 'v1', kind: 'Pod' },
  services: { group: '', version: 'v1', kind: 'Service' },
  endpointslices: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
  deployments: { group: 'apps', version: 'v1', kind: 'Deployment' },
  replicasets: { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  networkpolicies: { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy' },
  ingresses: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress' },
  jobs: { group: 'batch', version: 'v1', kind: 'Job' },
  httproutes: { group: 'gateway.networking.k8s.io', version: 'v1', kind: 'HTTPRoute' },
  backendtrafficpolicies: { group: 'gateway.envoyproxy.io', version: 'v1alpha1', kind: 'BackendTrafficPolicy' },
  destinationrules: { group: 'networking.istio.io', version: 'v1', kind: 'DestinationRule' },
};

export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  namespace: string;
  object: Obj;
  rv: number;
}

const HISTORY = 1000;

export class ObjectStore extends EventEmitter<{ event: [e: StoreEvent] }> {
  private rv = 1000;
  private readonly objects = new Map<string, Obj>();
  private history: StoreEvent[] = [];
  /** Versions below this are gone from the history (a watch from one gets 410). */
  private oldest = 1000;

  get version(): string {
    return String(this.rv);
  }

  get(resource: string, namespace: string, name: string): Obj | undefined {
    const o = this.objects.get(key(resource, namespace, name));
    return o ? clone(o) : undefined;
  }

  list(resource: string, namespace: string, selector?: string): Obj[] {
    const match = selectorMatcher(selector);
    return [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(`${resource}/${namespace}/`) && match(o.metadata.labels ?? {}))
      .map(([, o]) => clone(o));
  }

  /** Creates `o`; throws 'exists' when the name is taken. Names from generateName get 5 random characters. */
  create(resource: string, namespace: string, o: Obj, dryRun = false): Obj {
    const obj = clone(o);
    obj.metadata ??= { name: '' };
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = obj.metadata.generateName + randomSuffix();
    const k = key(resource, namespace, obj.metadata.name);
    if (this.objects.has(k)) throw new Error('exists');
    const r = RESOURCES[resource];
    obj.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    obj.kind = r.kind;
    obj.metadata.namespace = namespace;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = new Date().toISOString();
    if (dryRun) return obj;
    return this.commit('ADDED', resource, namespace, obj);
  }

  /** Replaces the stored object with `o` (same name). */
  update(resource: string, namespace: string, o: Obj): Obj {
    return this.commit('MODIFIED', resource, namespace, clone(o));
  }

  /** Applies a JSON merge patch (RFC 7386); returns the result (not stored when `dryRun`). */
  patch(resource: string, namespace: string, name: string, patch: unknown, dryRun = false): Obj | undefined {
    const cur = this.objects.get(key(resource, namespace, name));
    if (!cur) return undefined;
    const next = mergePatch(clone(cur), patch) as Obj;
    next.metadata.name = cur.metadata.name;
    next.metadata.uid = cur.metadata.uid;
    if (dryRun) return next;
    return this.commit('MODIFIED', resource, namespace, next);
  }

  delete(resource: string, namespace: string, name: string, dryRun = false): Obj | undefined {
    const k = key(resource, namespace, name);
    const cur = this.objects.get(k);
    if (!cur || dryRun) return cur ? clone(cur) : undefined;
    this.objects.delete(k);
    this.rv++;
    const gone = { ...clone(cur), metadata: { ...clone(cur).metadata, resourceVersion: String(this.rv) } };
    this.record({ type: 'DELETED', resource, namespace, object: gone, rv: this.rv });
    return clone(gone);
  }

  /** Events of `resource` in `namespace` after version `from`, or 'gone' when the history no longer reaches it. */
  since(resource: string, namespace: string, from: number): StoreEvent[] | 'gone' {
    if (from < this.oldest) return 'gone';
    return this.history.filter((e) => e.rv > from && e.resource === resource && e.namespace === namespace);
  }

  /** Forgets the history, as etcd compaction does: a watch from any version before now gets 410 Gone. */
  compact(): void {
    this.history = [];
    this.oldest = this.rv + 1;
  }

  private commit(type: StoreEvent['type'], resource: string, namespace: string, obj: Obj): Obj {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    this.objects.set(key(resource, namespace, obj.metadata.name), obj);
    this.record({ type, resource, namespace, object: clone(obj), rv: this.rv });
    return clone(obj);
  }

  private record(e: StoreEvent): void {
    this.history.push(e);
    if (this.history.length > HISTORY) {
      this.history.shift();
      this.oldest = this.history[0].rv - 1;
    }
    this.emit('event', e);
  }
}

function key(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

export function clone<T>(o: T): T {
  return structuredClone(o);
}

function randomSuffix(): string {
  const a = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => a[Math.floor(Math.random() * a.length)]).join('');
}

/** RFC 7386: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Equality-based label selectors as the API server reads them: `a=b,c!=d,e,!f`. */
export function selectorMatcher(selector: string | undefined): (labels: Record<string, string>) => boolean {
  if (!selector) return () => true;
  const terms = selector.split(',').map((t) => t.trim()).filter(Boolean);
  return (labels) =>
    terms.every((t) => {
      if (t.startsWith('!')) return !(t.slice(1) in labels);
      const ne = t.indexOf('!=');
      if (ne > 0) return labels[t.slice(0, ne)] !== t.slice(ne + 2);
      const eq = t.indexOf('=');
      if (eq > 0) return labels[t.slice(0, eq).replace(/=$/, '')] === t.slice(t[eq + 1] === '=' ? eq + 2 : eq + 1);
      return t in labels;
    });
}
