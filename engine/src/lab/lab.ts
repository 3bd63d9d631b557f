import { EventEmitter } from 'node:events';
import { ScaleError } from '../core/errors.js';
import type { PolicyName, PolicyOptions } from '../policies/policy.js';
import { DEFAULT_POD_BEHAVIOUR, type PodBehaviour } from '../spec/pod-behaviour.js';
import {
  assertValid,
  checkBehaviour,
  checkLabOptions,
  checkPodOptions,
  checkPolicy,
  checkWeight,
  DEFAULT_EJECT_AFTER_FAILURES,
  DEFAULT_PROBE_INTERVAL_MS,
  MAX_LAB_PODS,
  type LabOptions,
  type LabPodOptions,
} from './lab-options.js';
import type { Partition } from './partition.js';
import { PodClient, type PodCounters } from './pod-client.js';
import { checkPodFaults, mergePodFaults, type PodFaults } from './pod-faults.js';
import { ProxyClient } from './proxy-client.js';
import { labPodName } from '../spec/pod-names.js';

export type { LabOptions, LabPodOptions } from './lab-options.js';
export type { PodCounters } from './pod-client.js';

/** What `Lab.pods()` reports. */
export interface LabPodInfo {
  name: string;
  /** The pod's own address (bypassing the proxy). */
  url: string;
  /** Its server is listening. */
  up: boolean;
  weight: number;
  /** Its configured behaviour (faults are a separate layer and do not show here). */
  behaviour: PodBehaviour;
}

/**
 * Per-pod counters: the pod's own (PodCounters: up, served, errors, busyMs, inService, queued,
 * concurrency; cumulative ones count from the pod's start) and the proxy's view of it.
 */
export interface LabPodStats extends PodCounters {
  name: string;
  /** In rotation in the proxy (false while ejected). */
  healthy: boolean;
  /** Requests (L7) or connections (L4) the proxy has open to the pod. */
  proxyInflight: number;
  /** Requests (L7) or connections (L4) the proxy sent to the pod. */
  forwarded: number;
  /** Transport failures the proxy saw on the pod. */
  failures: number;
}

/** Events of a Lab; each carries the pod name. */
export interface LabEvents {
  'pod-up': [pod: string];
  'pod-down': [pod: string];
  'pod-added': [pod: string];
  'pod-removed': [pod: string];
  /** The proxy took the pod out of rotation after consecutive failures. */
  ejected: [pod: string];
  /** A health probe succeeded and the pod is back in rotation. */
  restored: [pod: string];
}

interface Entry {
  pod: PodClient;
  weight: number;
  behaviour: PodBehaviour;
  faults: PodFaults;
}

/**
 * The embedded lab: N pod servers and a balancing proxy, each in its own worker thread, all on
 * 127.0.0.1. Send traffic to `url`; read per-pod counters with `stats()` (shared memory, no
 * round-trip); change pods, behaviour, policy and weights while traffic flows. Every async
 * method rejects with a ScaleError: `not_found` for an unknown pod, `invalid_input` for bad
 * values, `conflict` after close or when a pod's port is taken.
 */
export class Lab extends EventEmitter<LabEvents> {
  private readonly entries = new Map<string, Entry>();
  /** Names of pods being added right now (two concurrent addPod calls must not share one). */
  private readonly launching = new Set<string>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly proxy: ProxyClient,
    /** Seed of the next pod added. */
    private nextSeed: number,
  ) {
    super();
  }

  /** Validates `options`, starts the proxy and the pods, and resolves once all listen. */
  static async start(options: LabOptions): Promise<Lab> {
    assertValid(checkLabOptions(options));
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
    const specs: LabPodOptions[] =
      typeof options.pods === 'number' ? Array.from({ length: options.pods }, () => ({})) : options.pods;
    let lab: Lab | undefined;
    // The proxy and the pods start in parallel (worker start-up dominates a lab's start time).
    const proxyStart = ProxyClient.start(
      {
        mode: options.mode,
        policy: options.policy,
        policyOptions: options.policyOptions,
        ejectAfterFailures: options.ejectAfterFailures ?? DEFAULT_EJECT_AFTER_FAILURES,
        probeIntervalMs: options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
        seed,
      },
      (e) => lab?.emit(e.healthy ? 'restored' : 'ejected', e.pod),
    );
    // Owned from here: the pods start while it runs, and a proxy that fails first must not
    // reject with no handler attached (Node ends the process on an unhandled rejection).
    proxyStart.catch(() => undefined);
    // Explicit names win over defaults; defaults take the first free pod-<n>.
    const names: (string | undefined)[] = specs.map((s) => s.name);
    for (let i = 0; i < names.length; i++) names[i] ??= freeName(names);
    const started = await Promise.allSettled(specs.map((s, i) => launchPod(names[i]!, s, seed + i, true)));
    const pods = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r) => r.status === 'rejected');
    let proxy: ProxyClient;
    try {
      proxy = await proxyStart;
    } catch (e) {
      await Promise.allSettled(pods.map((p) => p.close()));
      throw e;
    }
    lab = new Lab(proxy, seed + specs.length);
    for (const [i, pod] of pods.entries()) lab.entries.set(pod.name, newEntry(pod, specs[i]));
    try {
      if (failed) throw failed.reason;
      for (const { pod, weight } of lab.entries.values()) await proxy.addPod(pod.name, pod.port, weight);
    } catch (e) {
      await lab.close();
      throw e;
    }
    return lab;
  }

  /** The proxy's address, e.g. `http://127.0.0.1:40123/`. */
  get url(): string {
    return `http://127.0.0.1:${this.proxy.port}/`;
  }

  /** The pods, in the order they were added. */
  pods(): LabPodInfo[] {
    return [...this.entries.values()].map(({ pod, weight, behaviour }) => ({ name: pod.name, url: pod.url, up: pod.up, weight, behaviour: { ...behaviour } }));
  }

  /** Reads every pod's and the proxy's counters from shared memory (cheap: call it often). */
  stats(): LabPodStats[] {
    return [...this.entries.values()].map(({ pod }) => {
      const p = pod.read();
      const x = this.proxy.read(pod.name);
      return {
        name: pod.name,
        ...p,
        healthy: x.healthy,
        proxyInflight: x.inflight,
        forwarded: x.forwarded,
        failures: x.failures,
      };
    });
  }

  /** Crashes a pod: its server closes and connections drop; the proxy finds out by failing. */
  async stopPod(name: string): Promise<void> {
    await this.entry(name).pod.stopServer();
    this.emit('pod-down', name);
  }

  /** Restarts a stopped pod on its same port. */
  async startPod(name: string): Promise<void> {
    await this.entry(name).pod.startServer();
    this.emit('pod-up', name);
  }

  /** Starts one more pod and puts it into rotation; resolves with its name. */
  async addPod(options: LabPodOptions = {}): Promise<string> {
    this.open();
    assertValid(checkPodOptions(options, 'pod'));
    if (options.name !== undefined && this.entries.has(options.name)) {
      throw new ScaleError('invalid_input', `pod "${options.name}" already exists`);
    }
    if (this.entries.size >= MAX_LAB_PODS) throw new ScaleError('limit_exceeded', `a lab has at most ${MAX_LAB_PODS} pods`);
    const name = options.name ?? freeName([...this.entries.keys(), ...this.launching]);
    if (this.launching.has(name)) throw new ScaleError('invalid_input', `pod "${name}" is already being added`);
    this.launching.add(name);
    try {
      const pod = await launchPod(name, options, this.nextSeed++, false);
      if (this.closing) {
        await pod.close();
        throw new ScaleError('conflict', 'lab is closed');
      }
      const entry = newEntry(pod, options);
      this.entries.set(name, entry);
      await this.proxy.addPod(name, pod.port, entry.weight);
    } finally {
      this.launching.delete(name);
    }
    this.emit('pod-added', name);
    return name;
  }

  /** Takes a pod out of rotation (in-flight requests finish), then ends it. */
  async removePod(name: string): Promise<void> {
    const { pod } = this.entry(name);
    this.entries.delete(name);
    await this.proxy.removePod(name);
    await pod.close();
    this.emit('pod-removed', name);
  }

  /** Changes a running pod's behaviour (validated; applies to requests arriving from now on). */
  async setBehaviour(name: string, behaviour: Partial<PodBehaviour>): Promise<void> {
    const e = this.entry(name);
    assertValid(checkBehaviour(behaviour, 'behaviour'));
    await e.pod.setBehaviour(behaviour);
    e.behaviour = { ...e.behaviour, ...behaviour };
  }

  /**
   * Sets or clears (a kind set to undefined) faults of a pod, on top of its behaviour
   * (pod-faults.ts). Applies to requests arriving from now on.
   */
  async setPodFaults(name: string, patch: Partial<PodFaults>): Promise<void> {
    const e = this.entry(name);
    assertValid(checkPodFaults(patch, 'faults'));
    const next = mergePodFaults(e.faults, patch);
    await e.pod.setFaults(next);
    e.faults = next;
  }

  /** Cuts a pod off from the balancer (partition.ts), or heals it with undefined. */
  async setPartition(name: string, partition: Partition | undefined): Promise<void> {
    this.entry(name);
    const p = partition;
    if (p && !((p.mode === 'refused' || p.mode === 'blackhole') && p.connectTimeoutMs >= 1 && p.connectTimeoutMs <= 600_000))
      throw new ScaleError('invalid_input', 'a partition needs mode "refused" or "blackhole" and connectTimeoutMs 1-600000');
    await this.proxy.setPartition(name, partition);
  }

  /** Switches the policy for new picks; requests in flight finish where they are. */
  async setPolicy(name: PolicyName, options?: Partial<PolicyOptions>): Promise<void> {
    this.open();
    assertValid(checkPolicy(name, options, 'policy'));
    await this.proxy.setPolicy(name, options);
  }

  /** Sets balancer weights by pod name (pods not named keep theirs). */
  async setWeights(weights: Record<string, number>): Promise<void> {
    this.open();
    const entries = Object.entries(weights ?? {});
    assertValid(entries.flatMap(([n, w]) => checkWeight(w, `weights.${n}`)));
    for (const [n] of entries) this.entry(n);
    for (const [n, w] of entries) this.entry(n).weight = w;
    await this.proxy.setWeights(weights);
  }

  /** Ends the proxy and every pod worker. Idempotent; leaves no handle open. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const pods = [...this.entries.values()].map((e) => e.pod);
      this.entries.clear();
      await Promise.allSettled([this.proxy.close(), ...pods.map((p) => p.close())]);
    })();
    return this.closing;
  }

  private entry(name: string): Entry {
    this.open();
    const e = this.entries.get(name);
    if (!e) throw new ScaleError('not_found', `no pod named "${name}"`);
    return e;
  }

  private open(): void {
    if (this.closing) throw new ScaleError('conflict', 'lab is closed');
  }
}

/** The first `pod-<n>` not in `taken`. */
function freeName(taken: readonly (string | undefined)[]): string {
  for (let n = 1; n <= taken.length + 1; n++) {
    if (!taken.includes(labPodName(n))) return labPodName(n);
  }
  throw new ScaleError('engine_error', 'no free pod name'); // unreachable: n = taken.length + 1 is free
}

function newEntry(pod: PodClient, o: LabPodOptions): Entry {
  return { pod, weight: o.weight ?? 1, behaviour: { ...DEFAULT_POD_BEHAVIOUR, ...o.behaviour }, faults: {} };
}

/** `warm`: a pod of the lab's first start; pods added later start cold (behaviour.warmup). */
function launchPod(name: string, o: LabPodOptions, seed: number, warm: boolean): Promise<PodClient> {
  return PodClient.start(name, { ...DEFAULT_POD_BEHAVIOUR, ...o.behaviour }, seed, warm);
}
