import type { HashKeySource, PickRequest, Policy, PodView } from '../policies/policy.js';
import { PROXY_SLOT } from './counters.js';
import { PartitionGate, type Partition, type PartitionMode } from './partition.js';
import { probeHealth } from './probe.js';

/** One upstream pod as the proxy sees it; it is also the PodView handed to the policy. */
export class ProxyPod<U> implements PodView {
  inflight = 0;
  healthy = true;
  /** Consecutive transport failures; reset by any answer. */
  streak = 0;
  /** Set while the pod is cut off from the proxy (partition.ts); new connects go through it. */
  partition: PartitionGate | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
    public weight: number,
    /** PROXY_SLOT counters shared with the controller. */
    readonly counters: Float64Array,
    /** The mode's connection handle (an undici Pool for L7; nothing for L4). */
    readonly upstream: U,
  ) {
    counters[PROXY_SLOT.healthy] = 1;
  }
}

/** Outlier ejection settings. */
export interface EjectionOptions {
  /** Consecutive failed connects/requests that take a pod out of rotation. */
  ejectAfterFailures: number;
  /** How often an ejected pod is probed with `GET /healthz`, ms. */
  probeIntervalMs: number;
}

/** What a mode (L7/L4) plugs into the shared pod set. */
export interface UpstreamHooks<U> {
  create(port: number): U;
  /** Releases the handle once the pod has left rotation (in-flight work may still finish). */
  close(upstream: U): Promise<void>;
  /** Called when a pod is ejected (false) or restored (true). */
  onHealth(name: string, healthy: boolean): void;
  /** A partition of the pod began (its mode) or ended (undefined): for connections already open. */
  partitioned?(upstream: U, mode: PartitionMode | undefined): void;
}

const NO_KEY: PickRequest = {};

/**
 * The proxy's pod set, shared by L7 and L4: the PodView array (reused, rebuilt only when pods
 * are added or removed), the current policy, counters and passive outlier ejection in the style
 * of nginx's max_fails / Envoy's consecutive-errors detector: after N consecutive transport
 * failures a pod leaves rotation and is probed until it answers again.
 */
export class ProxyPods<U> {
  /** Read by the policy; in-flight work keeps its ProxyPod even after a swap. */
  views: ProxyPod<U>[] = [];
  private readonly probes = new Map<string, NodeJS.Timeout>();
  private closed = false;

  /**
   * @param policy the current policy; swap with `setPolicy`.
   * @param hashKey where the key comes from when the policy is consistent-hash, else undefined
   *   (the hosts then skip key extraction on the hot path).
   */
  constructor(
    public policy: Policy,
    public hashKey: HashKeySource | undefined,
    private readonly ejection: EjectionOptions,
    private readonly hooks: UpstreamHooks<U>,
  ) {}

  /** New picks use `policy`; requests already placed finish on their pod. */
  setPolicy(policy: Policy, hashKey: HashKeySource | undefined): void {
    this.policy = policy;
    this.hashKey = hashKey;
  }

  /** Picks a pod for a request/connection, or undefined when none is healthy. */
  pick(key: string | undefined): ProxyPod<U> | undefined {
    const i = this.policy.pick(this.views, key === undefined ? NO_KEY : { key });
    return i >= 0 ? this.views[i] : undefined;
  }

  /** A request/connection was sent to `pod`. */
  begin(pod: ProxyPod<U>): void {
    pod.inflight++;
    pod.counters[PROXY_SLOT.inflight] = pod.inflight;
    pod.counters[PROXY_SLOT.forwarded]++;
  }

  /** The pod answered (any status): the failure streak ends. */
  answered(pod: ProxyPod<U>): void {
    pod.streak = 0;
  }

  /** A request/connection to `pod` ended; `latencyMs` is reported to the policy on success. */
  end(pod: ProxyPod<U>, latencyMs?: number): void {
    pod.inflight--;
    pod.counters[PROXY_SLOT.inflight] = pod.inflight;
    if (latencyMs !== undefined) this.policy.observe?.(pod.name, latencyMs);
  }

  /** A connect or request to `pod` failed at the transport level. */
  failed(pod: ProxyPod<U>): void {
    pod.counters[PROXY_SLOT.failures]++;
    pod.streak++;
    if (pod.healthy && pod.streak >= this.ejection.ejectAfterFailures && this.views.includes(pod)) {
      pod.healthy = false;
      pod.counters[PROXY_SLOT.healthy] = 0;
      this.hooks.onHealth(pod.name, false);
      this.scheduleProbe(pod);
    }
  }

  /** Adds a pod in rotation; the array is replaced, so a policy mid-pick never sees it change. */
  add(name: string, port: number, weight: number, counters: Float64Array): void {
    this.views = [...this.views, new ProxyPod(name, port, weight, counters, this.hooks.create(port))];
  }

  /** Takes a pod out; requests already on it finish before its upstream closes. */
  async remove(name: string): Promise<void> {
    const pod = this.views.find((p) => p.name === name);
    if (!pod) return;
    this.views = this.views.filter((p) => p !== pod);
    this.cancelProbe(name);
    pod.partition?.abort();
    await this.hooks.close(pod.upstream);
  }

  /**
   * Partitions a pod from the proxy, or heals it (undefined). Connects held by the previous
   * partition then go on through the new state. An unknown pod is ignored (the controller checks).
   */
  setPartition(name: string, partition: Partition | undefined): void {
    const pod = this.views.find((p) => p.name === name);
    if (!pod) return;
    const old = pod.partition;
    pod.partition = partition ? new PartitionGate(partition) : undefined;
    this.hooks.partitioned?.(pod.upstream, partition?.mode);
    old?.heal();
  }

  /** Sets weights by pod name; pods not named keep theirs. */
  setWeights(weights: Record<string, number>): void {
    for (const pod of this.views) {
      const w = weights[pod.name];
      if (w !== undefined) pod.weight = w;
    }
  }

  /** Stops probing and closes every upstream. */
  async close(): Promise<void> {
    this.closed = true;
    for (const name of [...this.probes.keys()]) this.cancelProbe(name);
    const pods = this.views;
    this.views = [];
    for (const p of pods) p.partition?.abort();
    await Promise.all(pods.map((p) => this.hooks.close(p.upstream)));
  }

  /** One probe at a time per ejected pod; stops once restored, removed or closed. */
  private scheduleProbe(pod: ProxyPod<U>): void {
    const interval = this.ejection.probeIntervalMs;
    const timer = setTimeout(() => {
      this.probes.delete(pod.name);
      const timeoutMs = Math.max(interval, 1000);
      // A partition cuts the probes too, or the proxy would restore a pod it cannot reach.
      const probe = pod.partition ? pod.partition.probe(timeoutMs) : probeHealth(pod.port, timeoutMs);
      void probe.then((ok) => {
        if (this.closed || !this.views.includes(pod)) return;
        if (!ok) return this.scheduleProbe(pod);
        pod.healthy = true;
        pod.streak = 0;
        pod.counters[PROXY_SLOT.healthy] = 1;
        this.hooks.onHealth(pod.name, true);
      });
    }, interval);
    this.probes.set(pod.name, timer);
  }

  private cancelProbe(name: string): void {
    clearTimeout(this.probes.get(name));
    this.probes.delete(name);
  }
}
