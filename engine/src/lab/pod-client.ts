import type { PodBehaviour } from '../spec/pod-behaviour.js';
import { POD_SLOT, sharedCounters } from './counters.js';
import type { PodFaults } from './pod-faults.js';
import type { PodWorkerData } from './pod-worker.js';
import { WorkerChannel } from './worker-rpc.js';

/** A pod's own counters, read from shared memory (no message round-trip). */
export interface PodCounters {
  /** Its server is listening. */
  up: boolean;
  /** Responses sent (health probes excluded). */
  served: number;
  /** Of those, with status >= 400. */
  errors: number;
  /** Cumulative time requests spent in service (not queued), ms: the utilisation signal. */
  busyMs: number;
  /** Cumulative squared service times, ms². */
  busySqMs: number;
  /** Requests in service now. */
  inService: number;
  /** Requests waiting for a slot now. */
  queued: number;
  /** The pod's current concurrency limit. */
  concurrency: number;
  /** Connections reset by a connection-reset fault. */
  resets: number;
}

/** Controller-side handle of one pod worker. */
export class PodClient {
  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly channel: WorkerChannel,
    private readonly counters: Float64Array,
  ) {}

  /** Starts the pod's worker and waits until it listens; `warm` false: a cold start (behaviour.warmup). */
  static async start(name: string, behaviour: PodBehaviour, seed: number, warm = true): Promise<PodClient> {
    const counters = sharedCounters();
    const data: PodWorkerData = { name, behaviour, seed, counters, warm };
    const { channel, ready } = await WorkerChannel.open(new URL('./pod-worker.js', import.meta.url), data);
    return new PodClient(name, ready as number, channel, counters);
  }

  /** The pod's own address (bypassing the proxy). */
  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Listening, and its worker is alive (a crashed worker cannot clear its own flag). */
  get up(): boolean {
    return this.counters[POD_SLOT.up] === 1 && !this.channel.closed;
  }

  /** Listens again on the same port; rejects with a 'conflict' ScaleError if it is taken. */
  async startServer(): Promise<void> {
    await this.channel.call('start');
  }

  /** Closes the server and its connections (the worker stays, with its counters). */
  async stopServer(): Promise<void> {
    await this.channel.call('stop');
  }

  /** Merges `partial` into the running pod's behaviour (applies to requests arriving from now on). */
  async setBehaviour(partial: Partial<PodBehaviour>): Promise<void> {
    await this.channel.call('setBehaviour', partial);
  }

  /** Replaces the pod's fault layer (applies to requests arriving from now on). */
  async setFaults(faults: PodFaults): Promise<void> {
    await this.channel.call('setFaults', faults);
  }

  /** The pod's counters, from shared memory. */
  read(): PodCounters {
    const c = this.counters;
    return {
      up: this.up,
      served: c[POD_SLOT.served],
      errors: c[POD_SLOT.errors],
      busyMs: c[POD_SLOT.busyMs],
      busySqMs: c[POD_SLOT.busySqMs],
      inService: c[POD_SLOT.inService],
      queued: c[POD_SLOT.queued],
      concurrency: c[POD_SLOT.concurrency],
      resets: c[POD_SLOT.resets],
    };
  }

  /** Ends the worker (and with it the server and every connection). */
  async close(): Promise<void> {
    this.counters[POD_SLOT.up] = 0;
    await this.channel.terminate();
  }
}
