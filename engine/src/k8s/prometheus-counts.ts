import { request } from 'undici';
import { ScaleError } from '../core/errors.js';

/**
 * The fallback for backends that cannot name themselves in a response header: per-pod request
 * counters read from Prometheus with the user's instant query (one cumulative counter per pod,
 * labelled `pod`). Each read returns what every pod served since the previous read. Prometheus
 * sees a counter only at each scrape, so per-second windows are as coarse as the scrape
 * interval (a pod's requests land in the window of the scrape that saw them); whole-run totals
 * are exact up to the last scrape. A counter that went down (a restarted pod) counts from zero.
 */
export class PrometheusCounts {
  private last = new Map<string, number>();
  private primed = false;

  constructor(
    private readonly base: string,
    private readonly query: string,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Current counter per pod; a ScaleError when Prometheus cannot answer or the result has no `pod` label. */
  async counters(): Promise<Map<string, number>> {
    const url = new URL('api/v1/query', this.base.endsWith('/') ? this.base : `${this.base}/`);
    url.searchParams.set('query', this.query);
    let body: { status?: string; error?: string; data?: { resultType?: string; result?: Array<{ metric?: Record<string, string>; value?: [number, string] }> } };
    try {
      const res = await request(url, { method: 'GET', headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
      body = (await res.body.json()) as typeof body;
    } catch (err) {
      throw new ScaleError('target_unreachable', `Prometheus at ${this.base} cannot be queried: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (body.status !== 'success') throw new ScaleError('invalid_input', `Prometheus refused the pod-count query: ${body.error ?? 'unknown error'}`);
    if (body.data?.resultType !== 'vector') throw new ScaleError('invalid_input', `the pod-count query must return an instant vector (got ${body.data?.resultType ?? 'nothing'})`);
    const out = new Map<string, number>();
    for (const r of body.data.result ?? []) {
      const pod = r.metric?.pod;
      const v = Number(r.value?.[1]);
      if (!pod) throw new ScaleError('invalid_input', 'the pod-count query returns a series without a `pod` label; aggregate with `sum by (pod) (...)`');
      if (Number.isFinite(v)) out.set(pod, v);
    }
    return out;
  }

  /** Requests per pod since the previous call (the first call only sets the baseline and returns {}). */
  async delta(): Promise<Record<string, number>> {
    const now = await this.counters();
    const out: Record<string, number> = {};
    if (this.primed) {
      for (const [pod, v] of now) {
        const before = this.last.get(pod) ?? 0;
        out[pod] = Math.round(v >= before ? v - before : v);
      }
    }
    this.last = now;
    this.primed = true;
    return out;
  }
}
