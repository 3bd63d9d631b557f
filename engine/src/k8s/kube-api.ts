import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  type KubeConfig,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1EndpointSlice,
  type V1Ingress,
  type V1Job,
  type V1NetworkPolicy,
  type V1Pod,
  type V1ReplicaSet,
  type V1Scale,
  type V1Service,
  type V1Deployment,
} from '@kubernetes/client-node';
import { ScaleError } from '../core/errors.js';
import { API_CALLS, type ApiCallName } from './api-calls.js';
import { toScaleError } from './kube-errors.js';
import { rawRequest } from './raw-request.js';

export { kubeConfigFor, loadKubeConfig } from './kube-config.js';

/** A custom resource the appliers use (Envoy Gateway's BackendTrafficPolicy, Istio's DestinationRule, Gateway API's HTTPRoute). */
export interface CustomResource {
  group: string;
  version: string;
  plural: string;
}

export const BACKEND_TRAFFIC_POLICY: CustomResource = { group: 'gateway.envoyproxy.io', version: 'v1alpha1', plural: 'backendtrafficpolicies' };
export const DESTINATION_RULE: CustomResource = { group: 'networking.istio.io', version: 'v1', plural: 'destinationrules' };
export const HTTP_ROUTE: CustomResource = { group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes' };

/** A custom object as the API returns it. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string };
  spec?: Record<string, unknown>;
}

export interface KubeApiOptions {
  /** Namespaces the engine may act in; any other is refused before a request is sent. */
  namespaces: readonly string[];
  /** Mutating calls go with `dryRun=All`: the API server checks them (RBAC, admission) and persists nothing. */
  dryRun?: boolean;
}

/** The merge patch, always named: client-node 1.4 would otherwise send a JSON patch. */
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/**
 * The engine's one door to the Kubernetes API (client-node 1.4): one method per call of
 * api-calls.ts, each refusing namespaces outside the allowed list, each failing with a
 * ScaleError that says what was refused and why (kube-errors.ts). Mutating calls honour dry-run.
 */
export class KubeApi {
  readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly discovery: DiscoveryV1Api;
  private readonly networking: NetworkingV1Api;
  private readonly batch: BatchV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly watcher: Watch;
  readonly dryRun: boolean;
  private readonly allowed: ReadonlySet<string>;

  constructor(
    readonly config: KubeConfig,
    options: KubeApiOptions,
  ) {
    this.core = config.makeApiClient(CoreV1Api);
    this.apps = config.makeApiClient(AppsV1Api);
    this.discovery = config.makeApiClient(DiscoveryV1Api);
    this.networking = config.makeApiClient(NetworkingV1Api);
    this.batch = config.makeApiClient(BatchV1Api);
    this.custom = config.makeApiClient(CustomObjectsApi);
    this.watcher = new Watch(config);
    this.dryRun = options.dryRun ?? false;
    this.allowed = new Set(options.namespaces);
  }

  /** True when the engine may act in `namespace`. */
  allows(namespace: string): boolean {
    return this.allowed.has(namespace);
  }

  get namespaces(): string[] {
    return [...this.allowed];
  }

  private get dry(): string | undefined {
    return this.dryRun ? 'All' : undefined;
  }

  /** Runs one API call, checked against the allowed namespaces, errors mapped. */
  private async call<T>(name: ApiCallName, namespace: string, objectName: string | undefined, fn: () => Promise<T>): Promise<T> {
    const call = API_CALLS[name];
    if (!this.allowed.has(namespace))
      throw new ScaleError('forbidden_target', `namespace "${namespace}" is not in this engine's allowed namespaces (${[...this.allowed].join(', ') || 'none'}); see K8S_NAMESPACES`);
    try {
      return await fn();
    } catch (err) {
      throw toScaleError(err, { call, namespace, name: objectName });
    }
  }

  readService(namespace: string, name: string): Promise<V1Service> {
    return this.call('readService', namespace, name, () => this.core.readNamespacedService({ namespace, name }));
  }

  listEndpointSlices(namespace: string, labelSelector: string) {
    return this.call('listEndpointSlices', namespace, undefined, () => this.discovery.listNamespacedEndpointSlice({ namespace, labelSelector }));
  }

  listPods(namespace: string, labelSelector?: string) {
    return this.call('listPods', namespace, undefined, () => this.core.listNamespacedPod({ namespace, labelSelector }));
  }

  readPod(namespace: string, name: string): Promise<V1Pod> {
    return this.call('readPod', namespace, name, () => this.core.readNamespacedPod({ namespace, name }));
  }

  deletePod(namespace: string, name: string): Promise<unknown> {
    return this.call('deletePod', namespace, name, () => this.core.deleteNamespacedPod({ namespace, name, dryRun: this.dry }));
  }

  patchPod(namespace: string, name: string, body: object): Promise<V1Pod> {
    return this.call('patchPod', namespace, name, () => this.core.patchNamespacedPod({ namespace, name, body, dryRun: this.dry }, MERGE));
  }

  readReplicaSet(namespace: string, name: string): Promise<V1ReplicaSet> {
    return this.call('readReplicaSet', namespace, name, () => this.apps.readNamespacedReplicaSet({ namespace, name }));
  }

  readDeploymentScale(namespace: string, name: string): Promise<V1Scale> {
    return this.call('readDeploymentScale', namespace, name, () => this.apps.readNamespacedDeploymentScale({ namespace, name }));
  }

  patchDeploymentScale(namespace: string, name: string, replicas: number): Promise<V1Scale> {
    return this.call('patchDeploymentScale', namespace, name, () =>
      this.apps.patchNamespacedDeploymentScale({ namespace, name, body: { spec: { replicas } }, dryRun: this.dry }, MERGE),
    );
  }

  listDeployments(namespace: string, labelSelector: string) {
    return this.call('listDeployments', namespace, undefined, () => this.apps.listNamespacedDeployment({ namespace, labelSelector }));
  }

  patchDeployment(namespace: string, name: string, body: object): Promise<V1Deployment> {
    return this.call('patchDeployment', namespace, name, () => this.apps.patchNamespacedDeployment({ namespace, name, body, dryRun: this.dry }, MERGE));
  }

  createNetworkPolicy(namespace: string, body: V1NetworkPolicy): Promise<V1NetworkPolicy> {
    return this.call('createNetworkPolicy', namespace, body.metadata?.name, () => this.networking.createNamespacedNetworkPolicy({ namespace, body, dryRun: this.dry }));
  }

  deleteNetworkPolicy(namespace: string, name: string): Promise<unknown> {
    return this.call('deleteNetworkPolicy', namespace, name, () => this.networking.deleteNamespacedNetworkPolicy({ namespace, name, dryRun: this.dry }));
  }

  listNetworkPolicies(namespace: string, labelSelector: string) {
    return this.call('listNetworkPolicies', namespace, undefined, () => this.networking.listNamespacedNetworkPolicy({ namespace, labelSelector }));
  }

  listIngresses(namespace: string, labelSelector?: string) {
    return this.call('listIngresses', namespace, undefined, () => this.networking.listNamespacedIngress({ namespace, labelSelector }));
  }

  patchIngress(namespace: string, name: string, body: object): Promise<V1Ingress> {
    return this.call('patchIngress', namespace, name, () => this.networking.patchNamespacedIngress({ namespace, name, body, dryRun: this.dry }, MERGE));
  }

  createJob(namespace: string, body: V1Job): Promise<V1Job> {
    return this.call('createJob', namespace, body.metadata?.name, () => this.batch.createNamespacedJob({ namespace, body, dryRun: this.dry }));
  }

  listJobs(namespace: string, labelSelector: string) {
    return this.call('listJobs', namespace, undefined, () => this.batch.listNamespacedJob({ namespace, labelSelector }));
  }

  deleteJob(namespace: string, name: string): Promise<unknown> {
    // Background: the Job's pods go with it.
    return this.call('deleteJob', namespace, name, () => this.batch.deleteNamespacedJob({ namespace, name, propagationPolicy: 'Background', dryRun: this.dry }));
  }

  listCustom(name: 'listHttpRoutes' | 'listBackendTrafficPolicies' | 'listDestinationRules', r: CustomResource, namespace: string, labelSelector?: string): Promise<{ items: KubeObject[] }> {
    return this.call(name, namespace, undefined, () =>
      this.custom.listNamespacedCustomObject({ group: r.group, version: r.version, plural: r.plural, namespace, labelSelector }) as Promise<{ items: KubeObject[] }>,
    );
  }

  createCustom(name: 'createBackendTrafficPolicy' | 'createDestinationRule', r: CustomResource, namespace: string, body: KubeObject): Promise<KubeObject> {
    return this.call(name, namespace, body.metadata?.name, () =>
      this.custom.createNamespacedCustomObject({ group: r.group, version: r.version, plural: r.plural, namespace, body, dryRun: this.dry }) as Promise<KubeObject>,
    );
  }

  patchCustom(name: 'patchBackendTrafficPolicy' | 'patchDestinationRule', r: CustomResource, namespace: string, objectName: string, body: object): Promise<KubeObject> {
    return this.call(name, namespace, objectName, () =>
      this.custom.patchNamespacedCustomObject({ group: r.group, version: r.version, plural: r.plural, namespace, name: objectName, body, dryRun: this.dry }, MERGE) as Promise<KubeObject>,
    );
  }

  deleteCustom(name: 'deleteBackendTrafficPolicy' | 'deleteDestinationRule', r: CustomResource, namespace: string, objectName: string): Promise<unknown> {
    return this.call(name, namespace, objectName, () =>
      this.custom.deleteNamespacedCustomObject({ group: r.group, version: r.version, plural: r.plural, namespace, name: objectName, dryRun: this.dry }),
    );
  }

  /** metrics.k8s.io pod metrics of a namespace (CPU in `usage.cpu`, e.g. `12345678n`). */
  listPodMetrics(namespace: string, labelSelector?: string): Promise<{ items: Array<{ metadata: { name: string }; containers: Array<{ usage: { cpu: string } }> }> }> {
    const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return this.call('listPodMetrics', namespace, undefined, async () =>
      JSON.parse(await rawRequest(this.config, 'GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods${q}`)),
    );
  }

  /**
   * A request to a pod's port through the API server's pod proxy (works from inside and outside
   * the cluster, authorised as `pods/proxy`). client-node's proxy helpers take no body, so this
   * goes through the same KubeConfig (TLS, token) on node's own http(s).
   */
  podProxy(name: 'readFaultEndpoint' | 'writeFaultEndpoint', namespace: string, pod: string, port: number, path: string, body?: unknown): Promise<string> {
    const method = API_CALLS[name].verb === 'get' ? 'GET' : 'POST';
    const url = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(`${pod}:${port}`)}/proxy${path}`;
    return this.call(name, namespace, pod, () => rawRequest(this.config, method, url, body));
  }

  /**
   * Watches a collection from `resourceVersion`; `onEvent` gets each event's type and object,
   * `onDone` the end (null when the server closed the stream). Resolves with an abort handle.
   */
  watch(
    name: 'watchEndpointSlices' | 'watchPods' | 'watchJobs',
    namespace: string,
    query: { labelSelector?: string; resourceVersion?: string },
    onEvent: (type: string, object: unknown) => void,
    onDone: (err: unknown) => void,
  ): Promise<AbortController> {
    const path = WATCH_PATHS[name](encodeURIComponent(namespace));
    return this.call(name, namespace, undefined, () =>
      this.watcher.watch(path, { allowWatchBookmarks: true, ...query }, onEvent, (err: unknown) =>
        onDone(err ? toScaleError(err, { call: API_CALLS[name], namespace }) : null),
      ),
    );
  }
}

const WATCH_PATHS = {
  watchEndpointSlices: (ns: string) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
  watchPods: (ns: string) => `/api/v1/namespaces/${ns}/pods`,
  watchJobs: (ns: string) => `/apis/batch/v1/namespaces/${ns}/jobs`,
} as const;
