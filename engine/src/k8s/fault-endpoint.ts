import { ScaleError } from '../core/errors.js';
import { DEMO_BACKEND_ID, FAULT_PATH, type FaultEndpointReply } from '../lab/demo-backend.js';
import type { PodFaults } from '../lab/pod-faults.js';
import type { KubeApi } from './kube-api.js';

/**
 * The demo backend's fault endpoint (lab/demo-backend.ts) on a pod, reached through the API
 * server's pod proxy. Latency, errors, resets and slow bodies need it: before the first one on
 * a pod, the endpoint is asked what it is, and a pod that does not answer as the demo backend
 * is refused with a message that says which faults work on any backend instead.
 */
export class FaultEndpoint {
  private readonly checked = new Set<string>();

  constructor(
    private readonly api: KubeApi,
    private readonly namespace: string,
    private readonly port: number,
  ) {}

  async assertDemoBackend(pod: string): Promise<void> {
    if (this.checked.has(pod)) return;
    let reply: Partial<FaultEndpointReply> | undefined;
    let why = '';
    try {
      reply = JSON.parse(await this.api.podProxy('readFaultEndpoint', this.namespace, pod, this.port, FAULT_PATH)) as Partial<FaultEndpointReply>;
    } catch (err) {
      // A refusal of the API itself (403, unreachable) is not the backend's answer: report it as it is.
      if (err instanceof ScaleError && err.code !== 'not_found' && !/answered (404|405|503)/.test(err.message) && err.code !== 'invalid_input') throw err;
      why = err instanceof Error ? err.message : String(err);
    }
    if (reply?.backend !== DEMO_BACKEND_ID)
      throw new ScaleError(
        'invalid_input',
        `pod ${pod} does not run Scale's demo backend (no fault endpoint at :${this.port}${FAULT_PATH}${why ? `: ${why}` : ''}); latency, errors, connection-reset and bandwidth faults need it, while pod-failure, partition, scale-up and scale-down work on any backend`,
      );
    this.checked.add(pod);
  }

  /** Replaces the pod's faults with `faults` (the whole state: `{}` clears them). */
  async set(pod: string, faults: PodFaults): Promise<void> {
    await this.api.podProxy('writeFaultEndpoint', this.namespace, pod, this.port, FAULT_PATH, faults);
  }
}
