import { ScaleError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { BACKEND_TRAFFIC_POLICY, type KubeApi, type KubeObject } from '../kube-api.js';
import { createdLabels, type JsonObject } from '../marks.js';
import { envoyUnsupported, goDuration, type BalancerApplier, type BalancerSetting } from './balancer-applier.js';
import { ConfigObject } from './config-object.js';

/**
 * Envoy Gateway, through a BackendTrafficPolicy attached to the HTTPRoute (`spec.loadBalancer`):
 * RoundRobin, Random, LeastRequest (Envoy's least request is power-of-two: two choices) and
 * ConsistentHash (SourceIP or Header; Envoy Gateway hashes with maglev), with `slowStart.window`
 * for RoundRobin and LeastRequest. The policy already targeting the route is changed; without
 * one, the engine creates `scale-<route>` (labelled) and deletes it on restore.
 * https://gateway.envoyproxy.io/docs/api/extension_types/#loadbalancer
 */
export class EnvoyGatewayApplier implements BalancerApplier {
  readonly kind = 'envoy-gateway' as const;
  private readonly config: ConfigObject;

  constructor(
    api: KubeApi,
    private readonly namespace: string,
    readonly route: string,
    runId?: string,
  ) {
    const r = BACKEND_TRAFFIC_POLICY;
    this.config = new ConfigObject(
      {
        read: async () => (await api.listCustom('listBackendTrafficPolicies', r, namespace)).items.find((p) => targets(p, route)),
        patch: (name, body) => api.patchCustom('patchBackendTrafficPolicy', r, namespace, name, body),
        create: (body) => api.createCustom('createBackendTrafficPolicy', r, namespace, body as KubeObject),
        delete: (name) => api.deleteCustom('deleteBackendTrafficPolicy', r, namespace, name),
      },
      (patch) => ({
        apiVersion: `${r.group}/${r.version}`,
        kind: 'BackendTrafficPolicy',
        metadata: { name: `scale-${route}`.slice(0, 253), labels: createdLabels(runId) },
        spec: { targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: route }], ...(patch.spec as JsonObject) },
      }),
    );
  }

  get object(): string {
    return `BackendTrafficPolicy for HTTPRoute ${this.namespace}/${this.route}`;
  }

  unsupported(s: BalancerSetting): string | undefined {
    return envoyUnsupported(s, { name: 'Envoy Gateway', leastRequest: 'LeastRequest', hashOn: 'the source IP or a header', algorithm: 'maglev', noRandomSlowStart: 'Envoy has no slow start for Random' });
  }

  async current(): Promise<BalancerSetting> {
    const lb = ((await this.config.read())?.spec as { loadBalancer?: Record<string, unknown> } | undefined)?.loadBalancer;
    const slow = parseDuration(String((lb?.slowStart as { window?: string } | undefined)?.window ?? ''));
    const withSlow = slow ? { slowStartMs: slow } : {};
    switch (lb?.type) {
      case 'Random':
        return { policy: 'random', policyOptions: {} };
      case 'LeastRequest':
        return { policy: 'power-of-two', policyOptions: { choices: 2, ...withSlow } };
      case 'ConsistentHash': {
        const ch = lb.consistentHash as { type?: string; header?: { name?: string } } | undefined;
        const hashKey = ch?.type === 'Header' && ch.header?.name ? { from: 'header' as const, header: ch.header.name.toLowerCase() } : { from: 'client' as const };
        return { policy: 'consistent-hash', policyOptions: { hashKey, hashAlgorithm: 'maglev' } };
      }
      default:
        // Envoy Gateway's default is LeastRequest; a policy without a loadBalancer leaves it so.
        return lb?.type === 'RoundRobin' ? { policy: 'round-robin', policyOptions: withSlow } : { policy: 'power-of-two', policyOptions: { choices: 2 } };
    }
  }

  async apply(s: BalancerSetting): Promise<void> {
    const why = this.unsupported(s);
    if (why) throw new ScaleError('invalid_input', `cannot apply ${s.policy} to the ${this.object}: ${why}`);
    const o = s.policyOptions;
    const slowStart = o.slowStartMs ? { window: goDuration(o.slowStartMs) } : null;
    const type = { 'round-robin': 'RoundRobin', random: 'Random', 'power-of-two': 'LeastRequest', 'consistent-hash': 'ConsistentHash' }[s.policy as 'random'];
    const consistentHash: JsonObject | null =
      s.policy === 'consistent-hash' ? (o.hashKey?.from === 'header' ? { type: 'Header', header: { name: o.hashKey.header } } : { type: 'SourceIP' }) : null;
    await this.config.change({ spec: { loadBalancer: { type, consistentHash, slowStart: s.policy === 'random' || s.policy === 'consistent-hash' ? null : slowStart } } });
  }

  restore(): Promise<void> {
    return this.config.restore();
  }
}

/** True when the policy targets the HTTPRoute (`targetRefs`, or the older single `targetRef`). */
function targets(p: KubeObject, route: string): boolean {
  const spec = p.spec as { targetRefs?: Array<{ kind?: string; name?: string }>; targetRef?: { kind?: string; name?: string } } | undefined;
  const refs = [...(spec?.targetRefs ?? []), ...(spec?.targetRef ? [spec.targetRef] : [])];
  return refs.some((t) => t.kind === 'HTTPRoute' && t.name === route);
}
