import { connect, createServer, type Server } from 'node:net';
import { hashKeyFor } from '../policies/hash-key.js';
import type { ProxyPods } from './proxy-pods.js';

const NO_HEADERS = {};

/**
 * L4 (per-connection) balancing, as kube-proxy does: the policy places each client CONNECTION
 * (PodView.inflight = open connections to the pod) and the bytes are piped both ways. Every
 * request on a keep-alive connection therefore lands on the same pod, which is exactly the
 * keep-alive imbalance the lab must be able to reproduce. A failed upstream connect closes the
 * client socket and counts toward ejection. Latency is not reported to the policy: a
 * connection's lifetime says nothing about service time.
 */
export function createL4Server(pods: ProxyPods<undefined>): Server {
  return createServer({ noDelay: true }, (client) => {
    const source = pods.hashKey;
    const key = source
      ? hashKeyFor(source, { headers: NO_HEADERS, path: '', clientAddress: client.remoteAddress ?? '' })
      : undefined;
    const pod = pods.pick(key);
    if (!pod) {
      client.destroy();
      return;
    }
    pods.begin(pod);
    const upstream = connect({ host: '127.0.0.1', port: pod.port, noDelay: true });
    let connected = false;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      pods.end(pod);
      client.destroy();
      upstream.destroy();
    };
    upstream.once('connect', () => {
      connected = true;
      pods.answered(pod);
    });
    upstream.on('error', () => {
      if (!connected) pods.failed(pod);
      end();
    });
    client.on('error', end);
    upstream.on('close', end);
    client.on('close', end);
    // An end on either side is forwarded as a FIN; bytes written before connect are buffered.
    client.pipe(upstream);
    upstream.pipe(client);
  });
}
