import { KubeConfig } from '@kubernetes/client-node';
import { delimiter } from 'node:path';

/**
 * A KubeConfig for a server URL and bearer token (the fixture API server of the tests).
 * client-node refuses plain http unless TLS verification is off, so an http:// server (which
 * has no TLS to verify) gets skipTLSVerify; an https:// one is always verified.
 */
export function kubeConfigFor(server: string, token: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'scale', server, skipTLSVerify: server.startsWith('http:') }],
    users: [{ name: 'scale', token }],
    contexts: [{ name: 'scale', cluster: 'scale', user: 'scale' }],
    currentContext: 'scale',
  });
  return kc;
}

/**
 * The engine's KubeConfig: KUBECONFIG's file when set, else ~/.kube/config, else in-cluster
 * (ServiceAccount). With none of them client-node quietly points at http://localhost:8080, and
 * the first call then fails with a TLS message that names nothing the user can fix: refuse here.
 */
export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) {
    // KUBECONFIG may list several files, as kubectl reads it: the first gives the current context.
    const [first, ...rest] = file.split(delimiter).filter((f) => f !== '');
    kc.loadFromFile(first);
    for (const f of rest) {
      const more = new KubeConfig();
      more.loadFromFile(f);
      kc.mergeConfig(more, Boolean(kc.currentContext));
    }
  } else kc.loadFromDefault();
  if (!file && isClientFallback(kc))
    throw new Error('no kubeconfig found: set KUBECONFIG, create ~/.kube/config (`kubectl config view` shows the one kubectl uses), or run the engine in the cluster with its ServiceAccount');
  return kc;
}

/** What client-node's loadFromDefault() makes when it finds no configuration at all. */
function isClientFallback(kc: KubeConfig): boolean {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  return kc.clusters.length === 1 && cluster?.name === 'cluster' && cluster.server === 'http://localhost:8080' && user?.name === 'user' && !user.token;
}
