import type { PolicyName, PolicyOptions } from '../policies/policy.js';
import { PROXY_SLOT, sharedCounters } from './counters.js';
import type { Partition } from './partition.js';
import type { ProxyPodSpec } from './proxy.js';
import type { HealthEvent, ProxyWorkerData } from './proxy-worker.js';
import { WorkerChannel } from './worker-rpc.js';

/** The proxy's view of one pod, read from shared memory. */
export interface ProxyPodCounters {
  healthy: boolean;
  inflight: number;
  forwarded: number;
  failures: number;
}

/** Controller-side handle of the proxy worker. */
export class ProxyClient {
  /** Per pod: the PROXY_SLOT counters shared with the worker. */
  private readonly counters = new Map<string, Float64Array>();

  private constructor(
    readonly port: number,
    private readonly channel: WorkerChannel,
  ) {}

  /** Starts the proxy worker; `onHealth` hears every ejection and restoration. */
  static async start(data: ProxyWorkerData, onHealth: (e: HealthEvent) => void): Promise<ProxyClient> {
    const { channel, ready } = await WorkerChannel.open(
      new URL('./proxy-worker.js', import.meta.url),
      data,
      (e) => onHealth(e as HealthEvent),
    );
    return new ProxyClient(ready as number, channel);
  }

  /** Puts a pod into rotation; its counters are shared with the proxy worker from now on. */
  async addPod(name: string, port: number, weight: number): Promise<void> {
    const counters = sharedCounters();
    counters[PROXY_SLOT.healthy] = 1;
    this.counters.set(name, counters);
    await this.channel.call('addPod', { name, port, weight, counters } satisfies ProxyPodSpec);
  }

  /** Takes a pod out of rotation; requests already on it finish first. */
  async removePod(name: string): Promise<void> {
    await this.channel.call('removePod', name);
    this.counters.delete(name);
  }

  /** Switches the policy for new picks. */
  async setPolicy(name: PolicyName, options?: Partial<PolicyOptions>): Promise<void> {
    await this.channel.call('setPolicy', { name, options });
  }

  /** Sets weights by pod name. */
  async setWeights(weights: Record<string, number>): Promise<void> {
    await this.channel.call('setWeights', weights);
  }

  /** Partitions a pod from the proxy, or heals it with undefined. */
  async setPartition(name: string, partition: Partition | undefined): Promise<void> {
    await this.channel.call('setPartition', { name, partition });
  }

  /** The proxy's counters for one pod, from shared memory (zeros and unhealthy if unknown). */
  read(name: string): ProxyPodCounters {
    const c = this.counters.get(name);
    if (!c) return { healthy: false, inflight: 0, forwarded: 0, failures: 0 };
    return {
      healthy: c[PROXY_SLOT.healthy] === 1,
      inflight: c[PROXY_SLOT.inflight],
      forwarded: c[PROXY_SLOT.forwarded],
      failures: c[PROXY_SLOT.failures],
    };
  }

  /** Ends the proxy worker (its sockets close with it). */
  close(): Promise<void> {
    return this.channel.terminate();
  }
}
