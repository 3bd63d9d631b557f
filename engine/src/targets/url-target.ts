import type { UrlTarget } from '../spec/test-spec.js';
import type { DeclaredPods } from './declared-pods.js';
import type { Target, TargetPod } from './target.js';

/**
 * Any HTTP endpoint. Pods are known from the pod header of responses and, when the spec declares
 * them (`target.pods`: a count or names), before they answer: the run judges every declared pod,
 * a silent one with zero requests. `pods()` is empty (no eligibility or busy time from a URL).
 * The allow-list is checked by whoever opens it (runs/default-deps.ts), after DNS resolution.
 */
export class UrlTargetAdapter implements Target {
  readonly kind = 'url' as const;
  readonly url: string;
  readonly podHeader: string;
  readonly declaredPods?: DeclaredPods;
  constructor(spec: UrlTarget) {
    this.url = spec.url;
    this.podHeader = spec.podHeader;
    if (spec.pods !== undefined) this.declaredPods = Array.isArray(spec.pods) ? { names: spec.pods, count: spec.pods.length } : { names: [], count: spec.pods };
  }
  async pods(): Promise<TargetPod[]> {
    return [];
  }
  async close(): Promise<void> {}
}
