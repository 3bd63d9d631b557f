import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeApi } from '../../src/k8s/kube-api.js';
import { startClusterHarness, type ClusterHarness } from '../k8s-fixture/harness.js';

/**
 * What the API server answers, as the engine reports it: 401 (credentials), 403 (the missing
 * permission), 404, 409 (an object that exists), a server error, a namespace the engine may not
 * use (refused before any request), and a patch that names its merge-patch content type.
 */
describe('KubeApi errors', () => {
  let h: ClusterHarness;
  beforeAll(async () => {
    h = await startClusterHarness({ replicas: 1 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('401: the credentials are named as the problem', async () => {
    const api = new KubeApi(h.cluster.kubeConfig('wrong-token'), { namespaces: ['demo'] });
    await expect(api.readService('demo', 'demo')).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/rejected the engine's credentials \(401\).*ServiceAccount token or KUBECONFIG/) });
  });

  it('409: creating what exists says so', async () => {
    const api = h.kube.api();
    const np = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'twice' }, spec: { podSelector: {} } };
    await api.createNetworkPolicy('demo', np);
    await expect(api.createNetworkPolicy('demo', np)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/conflict on create networkpolicies .*"twice".*already exists/) });
    await api.deleteNetworkPolicy('demo', 'twice');
  });

  it('a server error is an upstream error with the status', async () => {
    h.cluster.api.inject({ match: (a) => a.resource === 'services', status: 503, times: 1 });
    await expect(h.kube.api().readService('demo', 'demo')).rejects.toMatchObject({ code: 'upstream_error', message: expect.stringMatching(/answered 503 for get services "demo"/) });
    await expect(h.kube.api().readService('demo', 'demo')).resolves.toBeDefined();
  });

  it('refuses a namespace outside the allowed list without a request', async () => {
    const before = h.cluster.api.log.length;
    await expect(h.kube.api().listPods('kube-system')).rejects.toMatchObject({ code: 'forbidden_target', message: expect.stringMatching(/"kube-system" is not in this engine's allowed namespaces \(demo\)/) });
    expect(h.cluster.api.log.length).toBe(before);
  });

  it('patches with the merge-patch content type (the API server refuses a JSON patch body otherwise)', async () => {
    const api = h.kube.api();
    const [pod] = h.cluster.podNames();
    await api.patchPod('demo', pod, { metadata: { labels: { checked: 'yes' } } });
    expect(h.cluster.store.get('pods', 'demo', pod)!.metadata.labels?.checked).toBe('yes');
    expect(h.cluster.api.log.at(-1)).toMatchObject({ verb: 'patch', contentType: 'application/merge-patch+json', status: 200 });
  });
});
