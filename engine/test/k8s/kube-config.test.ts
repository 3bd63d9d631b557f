import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeContext, DEFAULT_KUBE_SETTINGS } from '../../src/k8s/kube-context.js';
import { loadKubeConfig } from '../../src/k8s/kube-config.js';

/** Where the engine finds its cluster when KUBECONFIG is not set (README: Configuration). */
const kubeconfig = (cluster: string, server: string, current: boolean): string =>
  [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{ name: ${cluster}, cluster: { server: "${server}" } }]`,
    `users: [{ name: ${cluster}-user, user: { token: t } }]`,
    `contexts: [{ name: ${cluster}, context: { cluster: ${cluster}, user: ${cluster}-user } }]`,
    ...(current ? [`current-context: ${cluster}`] : []),
  ].join('\n');

describe('loadKubeConfig without KUBECONFIG', () => {
  const saved = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG };
  const dirs: string[] = [];
  const home = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'scale-home-'));
    dirs.push(d);
    process.env.HOME = d;
    delete process.env.KUBECONFIG;
    return d;
  };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  // Inside a pod the ServiceAccount is found instead, and there is nothing to refuse.
  const inCluster = existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');

  (inCluster ? it.skip : it)('with no ~/.kube/config and no ServiceAccount: a clear refusal, not a request to localhost:8080', () => {
    home();
    expect(() => loadKubeConfig()).toThrow(/no kubeconfig found: set KUBECONFIG, create ~\/\.kube\/config/);
    expect(() => new KubeContext({ ...DEFAULT_KUBE_SETTINGS }).api()).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/^cannot load the Kubernetes configuration: no kubeconfig found/) }));
  });

  it('reads ~/.kube/config', () => {
    const d = home();
    mkdirSync(join(d, '.kube'));
    writeFileSync(join(d, '.kube', 'config'), kubeconfig('kind', 'https://127.0.0.1:6443', true));
    expect(loadKubeConfig().getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
  });
});

describe('loadKubeConfig with KUBECONFIG', () => {
  it('a list of files, as kubectl reads it: every context, the current one from the first file that names one', () => {
    const d = mkdtempSync(join(tmpdir(), 'scale-kubeconfig-'));
    try {
      writeFileSync(join(d, 'a'), kubeconfig('prod', 'https://10.0.0.1:6443', false));
      writeFileSync(join(d, 'b'), kubeconfig('kind', 'https://127.0.0.1:6443', true));
      writeFileSync(join(d, 'c'), kubeconfig('other', 'https://10.0.0.2:6443', true));
      const kc = loadKubeConfig([join(d, 'a'), join(d, 'b'), join(d, 'c')].join(delimiter));
      expect(kc.getContexts().map((c) => c.name)).toEqual(['prod', 'kind', 'other']);
      expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
