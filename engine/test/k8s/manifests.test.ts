import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { loadAllYaml } from '@kubernetes/client-node';
import { HTTPRoute, Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { workerJob } from '../../src/k8s/worker-job.js';

/**
 * Every manifest in k8s/ as `kubectl kustomize` renders it (the base, each overlay, the worker
 * Job), validated with kubernetes-models, plus what the design asks of every container:
 * non-root, a read-only root filesystem, resource requests and limits.
 */
const root = fileURLToPath(new URL('../../../k8s/', import.meta.url));
const dirs = ['base', 'workers', ...readdirSync(`${root}overlays`).map((d) => `overlays/${d}`)];

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

function render(dir: string): Manifest[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', `${root}${dir}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`kubectl kustomize ${dir} failed (CI installs kubectl when it is missing): ${(err as Error).message}`);
  }
  return loadAllYaml(out) as Manifest[];
}

/** The models by `apiVersion/kind`. Gateway API v1 is v1beta1 field for field (promoted unchanged in Gateway API 1.0); the models package that runs on Node 20 has v1beta1. */
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/Ingress': Ingress,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'gateway.networking.k8s.io/v1/HTTPRoute': HTTPRoute,
  'gateway.networking.k8s.io/v1/Gateway': Gateway,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

function validate(m: Manifest): void {
  const Model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!Model) throw new Error(`no model for ${m.apiVersion} ${m.kind} (${m.metadata.name})`);
  const apiVersion = m.apiVersion.startsWith('gateway.networking.k8s.io/') ? 'gateway.networking.k8s.io/v1beta1' : m.apiVersion;
  new Model({ ...m, apiVersion } as never).validate();
}

type PodSpec = { securityContext?: { runAsNonRoot?: boolean }; containers: Array<{ name: string; securityContext?: { readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; allowPrivilegeEscalation?: boolean }; resources?: { requests?: Record<string, string>; limits?: Record<string, string> }; env?: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> }> };
const podSpecOf = (m: Manifest): PodSpec | undefined => (m.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;

describe.each(dirs)('k8s/%s', (dir) => {
  const manifests = render(dir);

  it('renders and every object validates against its schema', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests) expect(() => validate(m)).not.toThrow();
  });

  it('runs every container as non-root, read-only, with requests and limits', () => {
    for (const m of manifests) {
      const pod = podSpecOf(m);
      if (!pod) continue;
      for (const c of pod.containers) {
        const where = `${m.kind} ${m.metadata.name} container ${c.name}`;
        expect({ where, nonRoot: pod.securityContext?.runAsNonRoot ?? c.securityContext?.runAsNonRoot }).toEqual({ where, nonRoot: true });
        expect({ where, readOnly: c.securityContext?.readOnlyRootFilesystem, escalation: c.securityContext?.allowPrivilegeEscalation }).toEqual({ where, readOnly: true, escalation: false });
        for (const k of ['requests', 'limits'] as const) for (const r of ['cpu', 'memory']) expect({ where, [k]: Boolean(c.resources?.[k]?.[r]) }).toEqual({ where, [k]: true });
      }
    }
  });

  it('grants nothing cluster-wide', () => {
    expect(manifests.filter((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toEqual([]);
  });
});

describe('k8s manifests, by design', () => {
  it('gives the demo backend its pod name from the downward API, and Prometheus annotations to both pods', () => {
    const base = render('base');
    const demo = base.find((m) => m.kind === 'Deployment' && m.metadata.name === 'demo')!;
    const env = podSpecOf(demo)!.containers[0].env ?? [];
    expect(env.find((e) => e.name === 'POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    for (const d of base.filter((m) => m.kind === 'Deployment')) {
      const a = (d.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations ?? {};
      expect(a['prometheus.io/scrape']).toBe('true');
    }
  });

  it('routes to the demo Service through an Ingress and an HTTPRoute, and scrapes with ServiceMonitors', () => {
    expect(render('overlays/ingress-nginx').some((m) => m.kind === 'Ingress')).toBe(true);
    expect(render('overlays/envoy-gateway').some((m) => m.kind === 'HTTPRoute')).toBe(true);
    expect(render('overlays/prometheus-operator').filter((m) => m.kind === 'ServiceMonitor').map((m) => m.metadata.name).sort()).toEqual(['demo', 'scale-engine']);
  });

  it('describes the worker Job the engine creates', () => {
    const [manifest] = render('workers');
    const built = workerJob({ name: 'scale-load', image: 'scale-engine:dev', workers: 3, env: { SCALE_WORKER_URL: 'u', SCALE_RUN_ID: 'r', SCALE_WORKER_TOKEN: 't' } });
    const strip = (j: unknown) => {
      const c = structuredClone(j) as { metadata?: unknown; spec: { template: { metadata?: unknown; spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } } };
      for (const x of c.spec.template.spec.containers) x.env = x.env?.map((e) => ({ name: e.name }));
      delete c.metadata;
      delete c.spec.template.metadata;
      return c;
    };
    expect(strip(manifest)).toEqual(strip({ ...built, metadata: undefined }));
  });
});
