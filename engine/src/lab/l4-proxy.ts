import { connect, createServer, type Server, type Socket } from 'node:net';
import { hashKeyFor } from '../policies/hash-key.js';
import type { PartitionMode } from './partition.js';
import type { ProxyPod, ProxyPods } from './proxy-pods.js';

const NO_HEADERS = {};

/** One client connection piped to a pod; the pod's set of them is its L4 upstream handle. */
export interface L4Link {
  /** A partition began: `refused` resets the connection, `blackhole` lets nothing through any more. */
  cut(mode: PartitionMode): void;
  /** The partition ended: a black-holed connection is closed (bytes were lost, its stream is broken). */
  heal(): void;
}

/** The open connections to one pod. */
export type L4Links = Set<L4Link>;

/**
 * L4 (per-connection) balancing, as kube-proxy does: the policy places each client CONNECTION
 * (PodView.inflight = open connections to the pod) and the bytes are piped both ways. Every
 * request on a keep-alive connection therefore lands on the same pod, which is exactly the
 * keep-alive imbalance the lab must be able to reproduce. A failed upstream connect closes the
 * client socket and counts toward ejection. Latency is not reported to the policy: a
 * connection's lifetime says nothing about service time.
 */
export function createL4Server(pods: ProxyPods<L4Links>): Server {
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
    link(pods, pod, client);
  });
}

/** Tells a pod's open connections that a partition began (mode) or ended (undefined). */
export function partitionLinks(links: L4Links, mode: PartitionMode | undefined): void {
  for (const l of [...links]) {
    if (mode) l.cut(mode);
    else l.heal();
  }
}

function link(pods: ProxyPods<L4Links>, pod: ProxyPod<L4Links>, client: Socket): void {
  let upstream: Socket | undefined;
  let connected = false;
  let ended = false;
  /** Black-holed: the connection stays open but nothing passes either way. */
  let holed = false;
  let cancelHold: (() => void) | undefined;
  const end = (): void => {
    if (ended) return;
    ended = true;
    pod.upstream.delete(self);
    cancelHold?.();
    pods.end(pod);
    client.destroy();
    upstream?.destroy();
  };
  const self: L4Link = {
    cut(mode) {
      if (mode === 'refused') {
        client.resetAndDestroy();
        return end();
      }
      // A connect still waiting is governed by the gate; only an open connection is held here.
      if (!upstream) return;
      holed = true;
      client.unpipe(upstream);
      upstream.unpipe(client);
      upstream.destroy();
      client.resume(); // what the client sends vanishes
    },
    heal() {
      if (holed) end();
    },
  };
  pod.upstream.add(self);
  client.on('error', end);
  client.on('close', end);
  const failed = (): void => {
    pods.failed(pod);
    end();
  };
  // A partitioned pod (partition.ts) refuses or holds the connect; once healed, `open` runs again.
  // Until then the client's bytes wait in its (paused) socket.
  const open = (): void => {
    cancelHold = undefined;
    if (ended) return;
    const gate = pod.partition;
    if (gate) {
      cancelHold = gate.connect(open, failed);
      return;
    }
    const up = connect({ host: '127.0.0.1', port: pod.port, noDelay: true });
    upstream = up;
    up.once('connect', () => {
      connected = true;
      pods.answered(pod);
    });
    up.on('error', () => {
      if (!connected) pods.failed(pod);
      if (!holed) end();
    });
    up.on('close', () => {
      if (!holed) end();
    });
    // An end on either side is forwarded as a FIN; bytes written before connect are buffered.
    client.pipe(up);
    up.pipe(client);
  };
  open();
}
