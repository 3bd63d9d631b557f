import type { UrlTarget } from '../spec/test-spec.js';
import type { Target, TargetPod } from './target.js';

/**
 * Any HTTP endpoint. Pods are only known from the pod header of responses, so `pods()` is
 * empty and the run treats every pod it has seen as eligible. The allow-list is checked by
 * whoever opens it (runs/default-deps.ts), after DNS resolution.
 */
export class UrlTargetAdapter implements Target {
  readonly kind = 'url' as const;
  readonly url: string;
  readonly podHeader: string;
  constructor(spec: UrlTarget) {
    this.url = spec.url;
    this.podHeader = spec.podHeader;
  }
  async pods(): Promise<TargetPod[]> {
    return [];
  }
  async close(): Promise<void> {}
}
