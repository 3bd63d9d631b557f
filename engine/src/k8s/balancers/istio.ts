import { ScaleError } from '../../core/errors.js';
import { parseDuration } from '../../core/duration.js';
import { DESTINATION_RULE, type KubeApi, type KubeObject } from '../kube-api.js';
import { createdLabels, type JsonObject } from '../marks.js';
import { envoyUnsupported, goDuration, type BalancerApplier, type BalancerSetting } from './balancer-applier.js';
import { ConfigObject } from './config-object.js';

/**
 * Istio, through the DestinationRule of the Service's host (`spec.trafficPolicy.loadBalancer`):
 * `simple` ROUND_ROBIN, RANDOM or LEAST_REQUEST (Envoy's least request: power-of-two), or
 * `consistentHash` (useSourceIp or httpHeaderName; a ring), with `warmupDurationSecs` as slow
 * start. A rule already naming the host is changed; without one, the engine creates
 * `scale-<service>` (labelled) and deletes it on restore.
 * https://istio.io/latest/docs/reference/config/networking/destination-rule/#LoadBalancerSettings
 */
export class IstioApplier implements BalancerApplier {
  readonly kind = 'istio' as const;
  private readonly config: ConfigObject;
  readonly host: string;

  constructor(
    api: KubeApi,
    private readonly namespace: string,
    readonly service: string,
    runId?: string,
  ) {
    const r = DESTINATION_RULE;
    this.host = `${service}.${namespace}.svc.cluster.local`;
    const hosts = new Set([service, `${service}.${namespace}`, `${service}.${namespace}.svc`, this.host]);
    this.config = new ConfigObject(
      {
        read: async () => (await api.listCustom('listDestinationRules', r, namespace)).items.find((d) => hosts.has(String((d.spec as { host?: string } | undefined)?.host))),
        patch: (name, body) => api.patchCustom('patchDestinationRule', r, namespace, name, body),
        create: (body) => api.createCustom('createDestinationRule', r, namespace, body as KubeObject),
        delete: (name) => api.deleteCustom('deleteDestinationRule', r, namespace, name),
      },
      (patch) => ({
        apiVersion: `${r.group}/${r.version}`,
        kind: 'DestinationRule',
        metadata: { name: `scale-${service}`.slice(0, 253), labels: createdLabels(runId) },
        spec: { host: this.host, ...(patch.spec as JsonObject) },
      }),
    );
  }

  get object(): string {
    return `DestinationRule for ${this.host}`;
  }

  unsupported(s: BalancerSetting): string | undefined {
    return envoyUnsupported(s, { name: 'Istio', leastRequest: 'LEAST_REQUEST', hashOn: 'the source IP, a header, a cookie or a query parameter', algorithm: 'ring', noRandomSlowStart: 'Istio warms up only ROUND_ROBIN and LEAST_REQUEST' });
  }

  async current(): Promise<BalancerSetting> {
    const lb = ((await this.config.read())?.spec as { trafficPolicy?: { loadBalancer?: Record<string, unknown> } } | undefined)?.trafficPolicy?.loadBalancer;
    const warm = parseDuration(String(lb?.warmupDurationSecs ?? ''));
    const withWarm = warm ? { slowStartMs: warm } : {};
    const ch = lb?.consistentHash as { httpHeaderName?: string } | undefined;
    if (ch) return { policy: 'consistent-hash', policyOptions: { hashKey: ch.httpHeaderName ? { from: 'header', header: ch.httpHeaderName.toLowerCase() } : { from: 'client' }, hashAlgorithm: 'ring' } };
    if (lb?.simple === 'ROUND_ROBIN') return { policy: 'round-robin', policyOptions: withWarm };
    if (lb?.simple === 'RANDOM') return { policy: 'random', policyOptions: {} };
    // Istio's default (no rule, or no simple) is LEAST_REQUEST.
    return { policy: 'power-of-two', policyOptions: { choices: 2, ...withWarm } };
  }

  async apply(s: BalancerSetting): Promise<void> {
    const why = this.unsupported(s);
    if (why) throw new ScaleError('invalid_input', `cannot apply ${s.policy} to the ${this.object}: ${why}`);
    const o = s.policyOptions;
    const warm = o.slowStartMs && (s.policy === 'round-robin' || s.policy === 'power-of-two') ? goDuration(o.slowStartMs) : null;
    const loadBalancer: JsonObject =
      s.policy === 'consistent-hash'
        ? { simple: null, warmupDurationSecs: null, consistentHash: o.hashKey?.from === 'header' ? { httpHeaderName: o.hashKey.header } : { useSourceIp: true } }
        : { consistentHash: null, simple: { 'round-robin': 'ROUND_ROBIN', random: 'RANDOM', 'power-of-two': 'LEAST_REQUEST' }[s.policy as 'random'], warmupDurationSecs: warm };
    await this.config.change({ spec: { trafficPolicy: { loadBalancer } } });
  }

  restore(): Promise<void> {
    return this.config.restore();
  }
}
