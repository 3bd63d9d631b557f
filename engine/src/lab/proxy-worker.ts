/**
 * Worker-thread entry of the lab's balancing proxy (started by proxy-client.ts). Its own event
 * loop keeps the proxy's latency independent of the load generator in the main thread.
 */
import { workerData } from 'node:worker_threads';
import type { PolicyName, PolicyOptions } from '../policies/policy.js';
import type { Partition } from './partition.js';
import { BalancingProxy, type ProxyOptions, type ProxyPodSpec } from './proxy.js';
import { postEvent, serveWorker } from './worker-rpc.js';

/** What the controller passes to the proxy worker (functions cannot cross threads). */
export type ProxyWorkerData = Omit<ProxyOptions, 'onHealth' | 'createPolicy'>;

/** Pushed to the controller when the proxy ejects or restores a pod. */
export interface HealthEvent {
  pod: string;
  healthy: boolean;
}

serveWorker(async () => {
  const proxy = await BalancingProxy.start({
    ...(workerData as ProxyWorkerData),
    onHealth: (pod, healthy) => postEvent({ pod, healthy } satisfies HealthEvent),
  });
  return {
    ready: proxy.port,
    handlers: {
      addPod: (spec: ProxyPodSpec) => proxy.addPod(spec),
      removePod: (name: string) => proxy.removePod(name),
      setPolicy: (a: { name: PolicyName; options?: Partial<PolicyOptions> }) => proxy.setPolicy(a.name, a.options),
      setWeights: (w: Record<string, number>) => proxy.setWeights(w),
      setPartition: (a: { name: string; partition?: Partition }) => proxy.setPartition(a.name, a.partition),
    },
  };
});
