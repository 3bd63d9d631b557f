import { KubeConfig } from '@kubernetes/client-node';

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

/** The engine's KubeConfig: KUBECONFIG's file when set, else in-cluster (ServiceAccount), else ~/.kube/config. */
export function loadKubeConfig(file?: string): KubeConfig {
  const kc = new KubeConfig();
  if (file) kc.loadFromFile(file);
  else kc.loadFromDefault();
  return kc;
}
