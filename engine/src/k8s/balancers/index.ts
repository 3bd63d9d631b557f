import type { KubernetesTarget } from '../../spec/kubernetes-target-spec.js';
import type { KubeApi } from '../kube-api.js';
import type { BalancerApplier } from './balancer-applier.js';
import { EnvoyGatewayApplier } from './envoy-gateway.js';
import { IngressNginxApplier } from './ingress-nginx.js';
import { IstioApplier } from './istio.js';

export type { BalancerApplier, BalancerSetting } from './balancer-applier.js';

/** The applier for the target's balancer; `route` is the resolved Ingress or HTTPRoute name. */
export function applierFor(t: KubernetesTarget, api: KubeApi, route: string | undefined, runId?: string): BalancerApplier | undefined {
  switch (t.balancer) {
    case 'ingress-nginx':
      return route ? new IngressNginxApplier(api, t.namespace, route) : undefined;
    case 'envoy-gateway':
      return route ? new EnvoyGatewayApplier(api, t.namespace, route, runId) : undefined;
    case 'istio':
      return t.service ? new IstioApplier(api, t.namespace, t.service, runId) : undefined;
    default:
      return undefined;
  }
}
