import type { Server } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import { systemClock } from '../core/clock.js';
import { mathRandom, seededRandom, type Random } from '../core/random.js';
import {
  DEFAULT_POLICY_OPTIONS,
  type HashKeySource,
  type Policy,
  type PolicyDeps,
  type PolicyName,
  type PolicyOptions,
} from '../policies/policy.js';
import { createPolicy } from '../policies/registry.js';
import { createL4Server, partitionLinks, type L4Links } from './l4-proxy.js';
import { createL7Server, createPool } from './l7-proxy.js';
import type { ProxyMode } from './lab-options.js';
import type { Partition } from './partition.js';
import { ProxyPods, type EjectionOptions } from './proxy-pods.js';

/** Builds a policy; the registry's createPolicy unless a test injects its own. */
export type PolicyFactory = (name: PolicyName, options: Partial<PolicyOptions>, deps: PolicyDeps) => Policy;

/** How to start a BalancingProxy (already validated by the caller). */
export interface ProxyOptions extends EjectionOptions {
  mode: ProxyMode;
  policy: PolicyName;
  /** Passed to the policy factory (merged over the defaults there). */
  policyOptions?: Partial<PolicyOptions>;
  /** Seeds the policy's random source; unseeded (Math.random) when absent. */
  seed?: number;
  /** Told when a pod is ejected (false) or restored (true). */
  onHealth?: (pod: string, healthy: boolean) => void;
  /** Overrides the policy registry (tests). */
  createPolicy?: PolicyFactory;
}

/** A pod the proxy forwards to. */
export interface ProxyPodSpec {
  name: string;
  port: number;
  weight: number;
  /** PROXY_SLOT counters (over a SharedArrayBuffer) the proxy writes for this pod. */
  counters: Float64Array;
}

/**
 * The lab's balancing proxy on 127.0.0.1: L7 or L4 over a runtime-changeable set of pods and a
 * runtime-switchable policy. Runs inside the proxy worker (proxy-worker.ts) so it never shares
 * an event loop with the load generator; it can also run in-process (tests).
 */
export class BalancingProxy {
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: Server | NetServer,
    private readonly pods: ProxyPods<unknown>,
    private readonly random: Random,
    private readonly factory: PolicyFactory,
    readonly port: number,
  ) {
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
  }

  /** Builds the policy, listens on 127.0.0.1 (ephemeral port) and resolves once listening. */
  static async start(options: ProxyOptions): Promise<BalancingProxy> {
    const factory = options.createPolicy ?? createPolicy;
    const random = options.seed === undefined ? mathRandom : seededRandom(options.seed);
    const policyOptions = options.policyOptions ?? {};
    const policy = factory(options.policy, policyOptions, { random, clock: systemClock });
    const onHealth = options.onHealth ?? (() => {});
    const ejection = { ejectAfterFailures: options.ejectAfterFailures, probeIntervalMs: options.probeIntervalMs };
    const hashKey = hashKeyOf(options.policy, policyOptions);
    let server: Server | NetServer;
    let pods: ProxyPods<unknown>;
    if (options.mode === 'l7') {
      const l7 = new ProxyPods(policy, hashKey, ejection, { create: createPool, close: (p) => p.close(), onHealth });
      server = createL7Server(l7);
      pods = l7 as ProxyPods<unknown>;
    } else {
      const l4 = new ProxyPods<L4Links>(policy, hashKey, ejection, {
        create: () => new Set(),
        close: async () => {},
        onHealth,
        partitioned: partitionLinks,
      });
      server = createL4Server(l4);
      pods = l4 as ProxyPods<unknown>;
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    return new BalancingProxy(server, pods, random, factory, port);
  }

  /** Puts a pod into rotation at once (healthy until it fails). */
  addPod(spec: ProxyPodSpec): void {
    this.pods.add(spec.name, spec.port, spec.weight, spec.counters);
  }

  /** New requests stop going to the pod at once; those already on it finish. */
  removePod(name: string): Promise<void> {
    return this.pods.remove(name);
  }

  /** Swaps the policy without dropping requests: placed requests stay where they are. */
  setPolicy(name: PolicyName, options: Partial<PolicyOptions> = {}): void {
    const policy = this.factory(name, options, { random: this.random, clock: systemClock });
    this.pods.setPolicy(policy, hashKeyOf(name, options));
  }

  /** Sets weights by pod name; pods not named keep theirs. */
  setWeights(weights: Record<string, number>): void {
    this.pods.setWeights(weights);
  }

  /** Cuts a pod off from the proxy (partition.ts), or heals it with undefined. */
  setPartition(name: string, partition: Partition | undefined): void {
    this.pods.setPartition(name, partition);
  }

  /** Stops listening, destroys client connections and closes upstream pools. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const s of this.sockets) s.destroy();
      await Promise.all([closed, this.pods.close()]);
    })();
    return this.closing;
  }
}

function hashKeyOf(policy: PolicyName, options: Partial<PolicyOptions>): HashKeySource | undefined {
  return policy === 'consistent-hash' ? (options.hashKey ?? DEFAULT_POLICY_OPTIONS.hashKey) : undefined;
}
