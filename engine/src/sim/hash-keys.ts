import { clientAddress } from '../core/client-address.js';
import type { Random } from '../core/random.js';
import { hashKeyFor } from '../policies/hash-key.js';
import { DEFAULT_POLICY_OPTIONS, type HashKeySource } from '../policies/policy.js';
import type { SimPlan } from './sim-plan.js';

/**
 * consistent-hash keys in the simulator, taken from the source the policy is configured with
 * (`policyOptions.hashKey`) exactly as the live lab proxy takes them (policies/hash-key.ts):
 * - client: the client's address, the same addresses the live load generator connects from
 *   (core/client-address.ts): a closed-model user's own connection, or a pool connection; with
 *   no connections modelled, one of `plan.hashKeys` clients at random per request;
 * - path, header: the request's (a TestSpec's `request` sends the same path and headers every
 *   time, so every request has the same key, as live); a simulation spec describes no requests,
 *   so each request draws one of `plan.hashKeys` distinct values.
 * Key strings are made once and reused.
 */
export class SimHashKeys {
  private readonly source: HashKeySource;
  /** The one key every request has (path or header source with the plan's request). */
  private readonly fixed: string | undefined;
  private readonly byClient: string[] = [];
  private readonly drawn: string[] = [];

  constructor(
    private readonly plan: SimPlan,
    private readonly random: Random,
  ) {
    this.source = plan.policyOptions.hashKey ?? DEFAULT_POLICY_OPTIONS.hashKey;
    const r = plan.request;
    this.fixed = this.source.from !== 'client' && r ? hashKeyFor(this.source, { headers: r.headers ?? {}, path: r.path, clientAddress: '' }) : undefined;
  }

  /** The key of a request from client `client` (its index; -1: no client modelled). */
  keyOf(client: number): string {
    if (this.fixed !== undefined) return this.fixed;
    if (this.source.from === 'client' && client >= 0) return this.clientKey(client);
    const k = Math.floor(this.random.next() * this.plan.hashKeys);
    const drawn = this.drawn;
    while (drawn.length <= k) drawn.push(this.valueOf(drawn.length));
    return drawn[k];
  }

  private clientKey(i: number): string {
    const keys = this.byClient;
    while (keys.length <= i) keys.push(clientAddress(keys.length));
    return keys[i];
  }

  /** The k-th distinct value a source takes when requests are not described. */
  private valueOf(k: number): string {
    switch (this.source.from) {
      case 'client':
        return clientAddress(k);
      case 'path':
        return `/${k}`;
      case 'header':
        return `value-${k}`;
    }
  }
}
