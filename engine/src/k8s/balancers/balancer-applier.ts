import type { PolicyName, PolicyOptions } from '../../policies/policy.js';

/**
 * A balancer setting as a real balancer can take it: the policy and its options (the tuner's
 * Setting without the client-side parts: mode, weights, connection recycling).
 */
export interface BalancerSetting {
  policy: PolicyName;
  policyOptions: Partial<PolicyOptions>;
}

/**
 * Applies the tuner's setting to a cluster's balancer, one implementation per balancer
 * (ingress-nginx annotations, Envoy Gateway's BackendTrafficPolicy, Istio's DestinationRule).
 * The first `apply` records what it replaces, on the object itself (k8s/marks.ts: a crash
 * leaves it restorable by the janitor) and in memory; `restore` puts it back. Patches are JSON
 * merge patches with their content type named explicitly.
 */
export interface BalancerApplier {
  readonly kind: 'ingress-nginx' | 'envoy-gateway' | 'istio';
  /** The object it changes, for messages: e.g. `Ingress demo/demo`. */
  readonly object: string;
  /** Why this balancer cannot express `s`, or undefined when it can. */
  unsupported(s: BalancerSetting): string | undefined;
  /** The setting the balancer's configuration holds now (the balancer's default when it sets none). */
  current(): Promise<BalancerSetting>;
  /** Sets `s`; rejects (changing nothing) with a ScaleError when the balancer cannot take it. */
  apply(s: BalancerSetting): Promise<void>;
  /** Puts back what the first `apply` replaced; a no-op when nothing was applied. Idempotent. */
  restore(): Promise<void>;
}

/** How an Envoy-based balancer names what it offers (Envoy Gateway and Istio both configure Envoy). */
export interface EnvoyFamily {
  /** The product, for messages. */
  name: string;
  /** What it calls Envoy's least request (power-of-two, two choices). */
  leastRequest: string;
  /** What it can hash on, for the message that refuses the path. */
  hashOn: string;
  /** The hash it sets; the other one is refused. */
  algorithm: 'ring' | 'maglev';
  /** Why random has no slow start there. */
  noRandomSlowStart: string;
}

/** Why an Envoy-based balancer cannot express `s` (Envoy's policies: round robin, random, least request, ring/maglev hash). */
export function envoyUnsupported(s: BalancerSetting, f: EnvoyFamily): string | undefined {
  const o = s.policyOptions;
  switch (s.policy) {
    case 'round-robin':
      return undefined;
    case 'random':
      return o.slowStartMs ? f.noRandomSlowStart : undefined;
    case 'power-of-two':
      return o.choices !== undefined && o.choices !== 2 ? `${f.name}'s ${f.leastRequest} picks from 2` : undefined;
    case 'consistent-hash':
      if (o.hashKey?.from === 'path') return `${f.name} hashes on ${f.hashOn}, not the path`;
      return o.hashAlgorithm !== undefined && o.hashAlgorithm !== f.algorithm ? `${f.name} hashes with ${f.algorithm === 'ring' ? 'a ring' : 'maglev'}, not ${o.hashAlgorithm}` : undefined;
    default:
      return `${f.name} offers round-robin, random, power-of-two (${f.leastRequest}) and consistent-hash, not ${s.policy}`;
  }
}

/** `ms` as a Go duration string, as Envoy Gateway and Istio write them (`30s`, `1500ms`). */
export function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
