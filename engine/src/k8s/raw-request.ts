import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ScaleError } from '../core/errors.js';

/**
 * One request on the KubeConfig's cluster with its credentials and TLS, for the calls
 * client-node has no method for (metrics.k8s.io, a pod proxy with a body); rejects with an
 * ApiException-like error (`code`, `body`, `headers`) on a status >= 400.
 */
export async function rawRequest(config: KubeConfig, method: string, path: string, body?: unknown): Promise<string> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new ScaleError('invalid_input', 'the kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  const opts: RequestOptions = { method, headers: { accept: 'application/json' } };
  await config.applyToHTTPSOptions(opts);
  const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  if (data) Object.assign(opts.headers!, { 'content-type': 'application/json', 'content-length': String(data.length) });
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { ...opts, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1_048_576) chunks.push(c);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 400) reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { code: res.statusCode, body: text, headers: res.headers }));
        else resolve(text);
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'AbortError' })));
    req.on('error', reject);
    req.end(data);
  });
}
