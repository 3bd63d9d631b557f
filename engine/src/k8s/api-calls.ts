/**
 * Every Kubernetes API call the engine can make, as RBAC sees it: API group, resource (with
 * its subresource, as a Role names it) and verb. KubeApi (kube-api.ts) can only call the API
 * through an entry of this table, so the table is the complete list; the RBAC test checks that
 * the namespaced Role in k8s/ grants exactly these, and the fixture API server refuses (403)
 * any call the Role does not grant.
 */
export interface ApiCall {
  /** API group: '' for the core group. */
  group: string;
  /** Plural resource, `resource/subresource` for a subresource. */
  resource: string;
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';
}

export const API_CALLS = {
  // The target: the Service, its EndpointSlices (watched), its pods (a selector target watches pods).
  readService: { group: '', resource: 'services', verb: 'get' },
  listEndpointSlices: { group: 'discovery.k8s.io', resource: 'endpointslices', verb: 'list' },
  watchEndpointSlices: { group: 'discovery.k8s.io', resource: 'endpointslices', verb: 'watch' },
  listPods: { group: '', resource: 'pods', verb: 'list' },
  watchPods: { group: '', resource: 'pods', verb: 'watch' },
  readPod: { group: '', resource: 'pods', verb: 'get' },
  // Pod CPU for the utilisation view.
  listPodMetrics: { group: 'metrics.k8s.io', resource: 'pods', verb: 'list' },
  // Faults.
  deletePod: { group: '', resource: 'pods', verb: 'delete' },
  patchPod: { group: '', resource: 'pods', verb: 'patch' },
  readFaultEndpoint: { group: '', resource: 'pods/proxy', verb: 'get' },
  writeFaultEndpoint: { group: '', resource: 'pods/proxy', verb: 'create' },
  readReplicaSet: { group: 'apps', resource: 'replicasets', verb: 'get' },
  readDeploymentScale: { group: 'apps', resource: 'deployments/scale', verb: 'get' },
  patchDeploymentScale: { group: 'apps', resource: 'deployments/scale', verb: 'patch' },
  listDeployments: { group: 'apps', resource: 'deployments', verb: 'list' },
  patchDeployment: { group: 'apps', resource: 'deployments', verb: 'patch' },
  createNetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies', verb: 'create' },
  deleteNetworkPolicy: { group: 'networking.k8s.io', resource: 'networkpolicies', verb: 'delete' },
  listNetworkPolicies: { group: 'networking.k8s.io', resource: 'networkpolicies', verb: 'list' },
  // Tuning appliers.
  listIngresses: { group: 'networking.k8s.io', resource: 'ingresses', verb: 'list' },
  patchIngress: { group: 'networking.k8s.io', resource: 'ingresses', verb: 'patch' },
  listHttpRoutes: { group: 'gateway.networking.k8s.io', resource: 'httproutes', verb: 'list' },
  listBackendTrafficPolicies: { group: 'gateway.envoyproxy.io', resource: 'backendtrafficpolicies', verb: 'list' },
  createBackendTrafficPolicy: { group: 'gateway.envoyproxy.io', resource: 'backendtrafficpolicies', verb: 'create' },
  patchBackendTrafficPolicy: { group: 'gateway.envoyproxy.io', resource: 'backendtrafficpolicies', verb: 'patch' },
  deleteBackendTrafficPolicy: { group: 'gateway.envoyproxy.io', resource: 'backendtrafficpolicies', verb: 'delete' },
  listDestinationRules: { group: 'networking.istio.io', resource: 'destinationrules', verb: 'list' },
  createDestinationRule: { group: 'networking.istio.io', resource: 'destinationrules', verb: 'create' },
  patchDestinationRule: { group: 'networking.istio.io', resource: 'destinationrules', verb: 'patch' },
  deleteDestinationRule: { group: 'networking.istio.io', resource: 'destinationrules', verb: 'delete' },
  // Distributed load: the load-worker Indexed Job.
  createJob: { group: 'batch', resource: 'jobs', verb: 'create' },
  listJobs: { group: 'batch', resource: 'jobs', verb: 'list' },
  watchJobs: { group: 'batch', resource: 'jobs', verb: 'watch' },
  deleteJob: { group: 'batch', resource: 'jobs', verb: 'delete' },
} as const satisfies Record<string, ApiCall>;

export type ApiCallName = keyof typeof API_CALLS;

/** `verb resource` as a person reads it, with the group when it is not core. */
export function describeCall(c: ApiCall): string {
  return `${c.verb} ${c.resource}${c.group ? ` (${c.group})` : ''}`;
}
