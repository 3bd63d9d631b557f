import type { V1Ingress } from '@kubernetes/client-node';
import { ScaleError } from '../core/errors.js';
import { HTTP_ROUTE, type KubeApi, type KubeObject } from './kube-api.js';

/**
 * Finds the route object a balancer setting goes on when the target does not name it: the
 * Ingress (ingress-nginx) or HTTPRoute (envoy-gateway) in the namespace that sends to the
 * Service. None, or more than one, is a ScaleError asking for `target.route`.
 */
export async function findRoute(api: KubeApi, namespace: string, balancer: 'ingress-nginx' | 'envoy-gateway', service: string | undefined, named?: string): Promise<string> {
  if (balancer === 'ingress-nginx') {
    const all = (await api.listIngresses(namespace)).items;
    if (named) return exists(named, all.map((i) => i.metadata?.name ?? ''), 'Ingress', namespace);
    return only(all.filter((i) => ingressSendsTo(i, service)).map((i) => i.metadata?.name ?? ''), 'Ingress', namespace, service);
  }
  const all = (await api.listCustom('listHttpRoutes', HTTP_ROUTE, namespace)).items;
  if (named) return exists(named, all.map((r) => r.metadata?.name ?? ''), 'HTTPRoute', namespace);
  return only(all.filter((r) => routeSendsTo(r, service)).map((r) => r.metadata?.name ?? ''), 'HTTPRoute', namespace, service);
}

function ingressSendsTo(i: V1Ingress, service: string | undefined): boolean {
  const backends = [i.spec?.defaultBackend, ...(i.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
  return backends.some((b) => b?.service?.name !== undefined && (service === undefined || b.service.name === service));
}

function routeSendsTo(r: KubeObject, service: string | undefined): boolean {
  const rules = (r.spec as { rules?: Array<{ backendRefs?: Array<{ name?: string; kind?: string }> }> } | undefined)?.rules ?? [];
  return rules.some((rule) => (rule.backendRefs ?? []).some((b) => (b.kind ?? 'Service') === 'Service' && (service === undefined || b.name === service)));
}

function exists(name: string, names: string[], kind: string, namespace: string): string {
  if (names.includes(name)) return name;
  throw new ScaleError('not_found', `no ${kind} "${name}" in namespace "${namespace}"`);
}

function only(names: string[], kind: string, namespace: string, service: string | undefined): string {
  const to = service ? ` to Service "${service}"` : '';
  if (names.length === 1) return names[0];
  if (names.length === 0) throw new ScaleError('not_found', `no ${kind} in namespace "${namespace}" routes${to}; name one with target.route`);
  throw new ScaleError('invalid_input', `${names.length} ${kind}s in namespace "${namespace}" route${to} (${names.join(', ')}); name one with target.route`);
}
