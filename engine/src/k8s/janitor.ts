import { ScaleError } from '../core/errors.js';
import { BACKEND_TRAFFIC_POLICY, DESTINATION_RULE, type KubeApi, type KubeObject } from './kube-api.js';
import { CHANGED_SELECTOR, MANAGED_SELECTOR, restoringPatch } from './marks.js';

/** What a clean-up did, per namespace. */
export interface CleanupReport {
  namespace: string;
  /** `Kind/name` of each object deleted (the engine created it). */
  deleted: string[];
  /** `Kind/name` of each object put back (the engine had changed it). */
  restored: string[];
  /** What could not be cleaned, with why (a 403 names the missing permission). */
  failed: string[];
}

/**
 * Removes what an engine that died left in the cluster, found by its marks (marks.ts): objects
 * it created (NetworkPolicies, load-worker Jobs, BackendTrafficPolicies, DestinationRules) are
 * deleted; objects it changed (Deployments it scaled, pods it labelled or gave a deletion cost,
 * Ingresses, BackendTrafficPolicies and DestinationRules it re-configured) get their restore
 * patch. Run at engine start, before any test, in every allowed namespace. A kind that cannot
 * be listed (a CRD that is not installed: 404) is skipped quietly; other failures are reported.
 */
export async function cleanUpLeftovers(api: KubeApi): Promise<CleanupReport[]> {
  const out: CleanupReport[] = [];
  for (const ns of api.namespaces) {
    const r: CleanupReport = { namespace: ns, deleted: [], restored: [], failed: [] };
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        if (err instanceof ScaleError && err.code === 'not_found') return;
        r.failed.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    const each = async (kind: string, list: () => Promise<{ items: KubeObject[] }>, act: (o: KubeObject, name: string) => Promise<unknown>, into: string[]) => {
      await step(`list ${kind}`, async () => {
        for (const o of (await list()).items) {
          const name = o.metadata?.name ?? '';
          await step(`${kind}/${name}`, async () => {
            await act(o, name);
            into.push(`${kind}/${name}`);
          });
        }
      });
    };
    const asObjects = (p: Promise<{ items: unknown[] }>) => p as Promise<{ items: KubeObject[] }>;
    await each('NetworkPolicy', () => asObjects(api.listNetworkPolicies(ns, MANAGED_SELECTOR)), (_o, n) => api.deleteNetworkPolicy(ns, n), r.deleted);
    await each('Job', () => asObjects(api.listJobs(ns, MANAGED_SELECTOR)), (_o, n) => api.deleteJob(ns, n), r.deleted);
    await each('BackendTrafficPolicy', () => api.listCustom('listBackendTrafficPolicies', BACKEND_TRAFFIC_POLICY, ns, MANAGED_SELECTOR), (_o, n) => api.deleteCustom('deleteBackendTrafficPolicy', BACKEND_TRAFFIC_POLICY, ns, n), r.deleted);
    await each('DestinationRule', () => api.listCustom('listDestinationRules', DESTINATION_RULE, ns, MANAGED_SELECTOR), (_o, n) => api.deleteCustom('deleteDestinationRule', DESTINATION_RULE, ns, n), r.deleted);
    await each('Deployment', () => asObjects(api.listDeployments(ns, CHANGED_SELECTOR)), (o, n) => api.patchDeployment(ns, n, restoringPatch(o)), r.restored);
    await each('Pod', () => asObjects(api.listPods(ns, CHANGED_SELECTOR)), (o, n) => api.patchPod(ns, n, restoringPatch(o)), r.restored);
    await each('Ingress', () => asObjects(api.listIngresses(ns, CHANGED_SELECTOR)), (o, n) => api.patchIngress(ns, n, restoringPatch(o)), r.restored);
    await each('BackendTrafficPolicy', () => api.listCustom('listBackendTrafficPolicies', BACKEND_TRAFFIC_POLICY, ns, CHANGED_SELECTOR), (o, n) => api.patchCustom('patchBackendTrafficPolicy', BACKEND_TRAFFIC_POLICY, ns, n, restoringPatch(o)), r.restored);
    await each('DestinationRule', () => api.listCustom('listDestinationRules', DESTINATION_RULE, ns, CHANGED_SELECTOR), (o, n) => api.patchCustom('patchDestinationRule', DESTINATION_RULE, ns, n, restoringPatch(o)), r.restored);
    out.push(r);
  }
  return out;
}
