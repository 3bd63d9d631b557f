import { ScaleError } from '../../core/errors.js';
import type { KubeApi, KubeObject } from '../kube-api.js';
import type { JsonObject } from '../marks.js';
import { type BalancerApplier, type BalancerSetting } from './balancer-applier.js';
import { ConfigObject } from './config-object.js';

const LB = 'nginx.ingress.kubernetes.io/load-balance';
const HASH = 'nginx.ingress.kubernetes.io/upstream-hash-by';

/**
 * ingress-nginx, through the Ingress's annotations (ingress-nginx is retired upstream but still
 * widely deployed): `load-balance` is `round_robin` (round-robin) or `ewma` (peak-ewma, two
 * choices, its decay set only globally); `upstream-hash-by` (consistent-hash) takes
 * `$remote_addr`, `$request_uri` or `$http_<header>`. Nothing else is per-Ingress.
 * https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#custom-nginx-load-balancing
 */
export class IngressNginxApplier implements BalancerApplier {
  readonly kind = 'ingress-nginx' as const;
  private readonly config: ConfigObject;

  constructor(
    private readonly api: KubeApi,
    private readonly namespace: string,
    readonly ingress: string,
  ) {
    this.config = new ConfigObject({
      read: async () => (await api.listIngresses(namespace)).items.find((i) => i.metadata?.name === ingress) as KubeObject | undefined,
      patch: (name, body) => api.patchIngress(namespace, name, body) as Promise<KubeObject>,
    });
  }

  get object(): string {
    return `Ingress ${this.namespace}/${this.ingress}`;
  }

  unsupported(s: BalancerSetting): string | undefined {
    const o = s.policyOptions;
    if (o.slowStartMs) return 'ingress-nginx has no slow start';
    if (s.policy === 'round-robin') return undefined;
    if (s.policy === 'peak-ewma') return o.choices !== undefined && o.choices !== 2 ? "ingress-nginx's ewma always picks from 2" : undefined;
    if (s.policy === 'consistent-hash') return o.hashAlgorithm === 'maglev' ? 'ingress-nginx hashes on a ring, not maglev' : undefined;
    return `ingress-nginx offers round-robin, peak-ewma (ewma) and consistent-hash, not ${s.policy}`;
  }

  async current(): Promise<BalancerSetting> {
    const a = (await this.config.read())?.metadata?.annotations ?? {};
    if (a[HASH]) return { policy: 'consistent-hash', policyOptions: { hashKey: hashKeyOf(a[HASH]) } };
    return a[LB] === 'ewma' ? { policy: 'peak-ewma', policyOptions: {} } : { policy: 'round-robin', policyOptions: {} };
  }

  async apply(s: BalancerSetting): Promise<void> {
    const why = this.unsupported(s);
    if (why) throw new ScaleError('invalid_input', `cannot apply ${s.policy} to ${this.object}: ${why}`);
    if (!(await this.config.read())) throw new ScaleError('not_found', `no ${this.object}`);
    const annotations: JsonObject =
      s.policy === 'consistent-hash' ? { [HASH]: nginxHashKey(s.policyOptions.hashKey) } : { [LB]: s.policy === 'peak-ewma' ? 'ewma' : 'round_robin', [HASH]: null };
    await this.config.change({ metadata: { annotations } });
  }

  restore(): Promise<void> {
    return this.config.restore();
  }
}

function nginxHashKey(k: BalancerSetting['policyOptions']['hashKey']): string {
  if (!k || k.from === 'client') return '$remote_addr';
  if (k.from === 'path') return '$request_uri';
  return `$http_${k.header.toLowerCase().replace(/-/g, '_')}`;
}

function hashKeyOf(v: string): NonNullable<BalancerSetting['policyOptions']['hashKey']> {
  if (v === '$request_uri' || v === '$uri') return { from: 'path' };
  const m = /^\$http_([a-z0-9_]+)$/.exec(v);
  return m ? { from: 'header', header: m[1].replace(/_/g, '-') } : { from: 'client' };
}
