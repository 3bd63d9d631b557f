import { z } from 'zod';
import { ALWAYS } from './fields.js';

/**
 * The `kubernetes` target of a TestSpec: traffic goes to `url` (an Ingress, a Gateway or a
 * Service); the pods behind it come from the Service's EndpointSlices (or the pods a label
 * selector picks), watched; the serving pod is read from `podHeader`, or per-pod counts come
 * from Prometheus (`podCounts`) when the backend cannot add a header; `balancer` says which
 * balancer the tuner configures.
 */

/** A DNS-1123 label: namespaces, Services, Ingresses, HTTPRoutes. */
export const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes name is lower-case letters, digits and dashes (at most 63)');

/** An equality-based label selector (`app=demo,tier!=cache`), the only kind the engine needs. */
const labelSelector = z
  .string()
  .max(1000)
  .regex(/^[A-Za-z0-9./_-]+(!?=[A-Za-z0-9._-]*)?(,[A-Za-z0-9./_-]+(!?=[A-Za-z0-9._-]*)?)*$/, 'a label selector such as app=demo or app=demo,tier=web');

/** Balancers the tuner can configure (tuning/appliers in k8s/balancers/). */
export const BALANCERS = ['ingress-nginx', 'envoy-gateway', 'istio'] as const;
export type BalancerKind = (typeof BALANCERS)[number];

export const KubernetesTargetSpec = z
  .strictObject({
    kind: z.literal('kubernetes'),
    /** Where traffic goes: the Ingress, Gateway or Service URL (checked against ENGINE_ALLOWED_TARGETS). */
    url: z.url({ protocol: /^https?$/ }),
    /** Namespace of the Service and its pods; must be one of the engine's allowed namespaces (K8S_NAMESPACES). */
    namespace: dnsLabel,
    /** The Service whose EndpointSlices say which pods are in rotation. */
    service: dnsLabel.optional(),
    /** Instead of a Service: the pods this label selector picks (in rotation while Ready). */
    selector: labelSelector.optional(),
    /** Response header naming the pod that served the request (the demo backend sets it from POD_NAME). */
    podHeader: z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'a header name').default('x-scale-pod'),
    /** The balancer in front of the pods, which the tuner configures; absent: not tuned (e.g. a Service through kube-proxy). */
    balancer: z.enum(BALANCERS).optional(),
    /** The Ingress (ingress-nginx) or HTTPRoute (envoy-gateway) routing to the Service; default: the only one that does. */
    route: dnsLabel.optional(),
    /**
     * Fallback for backends that cannot add a pod header: per-pod request counters from
     * Prometheus. `query` is an instant PromQL query returning one cumulative counter per pod,
     * labelled `pod`, e.g. `sum by (pod) (http_requests_total{namespace="demo"})`.
     */
    podCounts: z.strictObject({ prometheus: z.url({ protocol: /^https?$/ }), query: z.string().min(1).max(2000) }).optional(),
  })
  .superRefine((t, ctx) => {
    const has = (v: unknown) => v !== undefined;
    if (has(t.service) === has(t.selector))
      ctx.addIssue({ code: 'custom', path: [has(t.service) ? 'selector' : 'service'], message: 'name either a service or a selector (exactly one)' });
    if (t.balancer === 'istio' && !has(t.service))
      ctx.addIssue({ code: 'custom', path: ['service'], message: "the istio balancer is configured per Service host: name the service" });
    if (has(t.route) && t.balancer !== 'ingress-nginx' && t.balancer !== 'envoy-gateway')
      ctx.addIssue({ code: 'custom', path: ['route'], message: 'route names an Ingress (balancer ingress-nginx) or an HTTPRoute (balancer envoy-gateway)' });
  }, ALWAYS);

export type KubernetesTarget = z.output<typeof KubernetesTargetSpec>;
