/**
 * Worker-thread entry of one lab pod (started by pod-client.ts through startWorker). Keeping
 * each pod on its own event loop means a busy pod cannot stall the balancer or its siblings.
 */
import { workerData } from 'node:worker_threads';
import { seededRandom } from '../core/random.js';
import type { PodBehaviour } from '../spec/pod-behaviour.js';
import type { PodFaults } from './pod-faults.js';
import { PodServer } from './pod-server.js';
import { serveWorker } from './worker-rpc.js';

/** What the controller passes to a pod worker. */
export interface PodWorkerData {
  name: string;
  behaviour: PodBehaviour;
  seed: number;
  counters: Float64Array;
  /** A pod of the lab's first start: warm at its first start (behaviour.warmup). */
  warm: boolean;
}

const data = workerData as PodWorkerData;

serveWorker(async () => {
  const pod = new PodServer({
    name: data.name,
    behaviour: data.behaviour,
    random: seededRandom(data.seed),
    counters: data.counters,
    warm: data.warm,
  });
  const port = await pod.start();
  return {
    ready: port,
    handlers: {
      start: () => pod.start(),
      stop: () => pod.stop(),
      setBehaviour: (b: Partial<PodBehaviour>) => pod.setBehaviour(b),
      setFaults: (f: PodFaults) => pod.setFaults(f),
    },
  };
});
