import { parseDuration } from '../../src/core/duration.js';
import type { PolicyName, PolicyOptions } from '../../src/policies/policy.js';
import type { Obj } from './store.js';

/**
 * Test fixture: what each real balancer does with its configuration object, read the way the
 * balancer reads it (written from their documentation, independently of the engine's appliers,
 * so an applier that writes the wrong field is caught): ingress-nginx's Ingress annotations,
 * Envoy Gateway's BackendTrafficPolicy, Istio's DestinationRule. The fixture's ingress proxy
 * switches to the policy the configuration names.
 */
export interface DataPlanePolicy {
  policy: PolicyName;
  options: Partial<PolicyOptions>;
}

const ROUND_ROBIN: DataPlanePolicy = { policy: 'round-robin', options: {} };

/** https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-nginx-load-balancing */
export function fromIngress(ing: Obj | undefined): DataPlanePolicy {
  const a = ing?.metadata.annotations ?? {};
  const hashBy = a['nginx.ingress.kubernetes.io/upstream-hash-by'];
  if (hashBy) return { policy: 'consistent-hash', options: { hashKey: nginxHashKey(hashBy) } };
  const lb = a['nginx.ingress.kubernetes.io/load-balance'];
  if (lb === 'ewma') return { policy: 'peak-ewma', options: {} };
  return ROUND_ROBIN;
}

function nginxHashKey(v: string): PolicyOptions['hashKey'] {
  if (v === '$remote_addr' || v === '$binary_remote_addr') return { from: 'client' };
  if (v === '$request_uri' || v === '$uri') return { from: 'path' };
  const m = /^\$http_([a-z0-9_]+)$/.exec(v);
  return m ? { from: 'header', header: m[1].replace(/_/g, '-') } : { from: 'client' };
}

/** https://gateway.envoyproxy.io/docs/api/extension_types/#loadbalancer */
export function fromBackendTrafficPolicy(btp: Obj | undefined): DataPlanePolicy {
  const lb = (btp?.spec as { loadBalancer?: Record<string, unknown> } | undefined)?.loadBalancer;
  // Envoy Gateway's default is LeastRequest.
  if (!lb) return { policy: 'power-of-two', options: { choices: 2 } };
  const slow = (lb.slowStart as { window?: string } | undefined)?.window;
  const slowStartMs = slow ? parseDuration(slow) : undefined;
  const withSlow = (o: Partial<PolicyOptions>) => (slowStartMs ? { ...o, slowStartMs } : o);
  switch (lb.type) {
    case 'LeastRequest':
      return { policy: 'power-of-two', options: withSlow({ choices: 2 }) };
    case 'Random':
      return { policy: 'random', options: {} };
    case 'ConsistentHash': {
      const ch = lb.consistentHash as { type?: string; header?: { name?: string } } | undefined;
      const hashKey: PolicyOptions['hashKey'] = ch?.type === 'Header' && ch.header?.name ? { from: 'header', header: ch.header.name.toLowerCase() } : { from: 'client' };
      return { policy: 'consistent-hash', options: { hashKey, hashAlgorithm: 'maglev' } };
    }
    case 'RoundRobin':
      return { policy: 'round-robin', options: withSlow({}) };
    default:
      return { policy: 'power-of-two', options: withSlow({ choices: 2 }) };
  }
}

/** https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings */
export function fromDestinationRule(dr: Obj | undefined): DataPlanePolicy {
  const lb = (dr?.spec as { trafficPolicy?: { loadBalancer?: Record<string, unknown> } } | undefined)?.trafficPolicy?.loadBalancer;
  if (!lb) return { policy: 'power-of-two', options: { choices: 2 } }; // Istio's default is LEAST_REQUEST
  const warm = lb.warmupDurationSecs as string | undefined;
  const slowStartMs = warm ? parseDuration(warm) : undefined;
  const withSlow = (o: Partial<PolicyOptions>) => (slowStartMs ? { ...o, slowStartMs } : o);
  const ch = lb.consistentHash as { useSourceIp?: boolean; httpHeaderName?: string } | undefined;
  if (ch) return { policy: 'consistent-hash', options: { hashKey: ch.httpHeaderName ? { from: 'header', header: ch.httpHeaderName.toLowerCase() } : { from: 'client' }, hashAlgorithm: 'ring' } };
  switch (lb.simple) {
    case 'ROUND_ROBIN':
      return { policy: 'round-robin', options: withSlow({}) };
    case 'RANDOM':
      return { policy: 'random', options: {} };
    default:
      return { policy: 'power-of-two', options: withSlow({ choices: 2 }) };
  }
}
