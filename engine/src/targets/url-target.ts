import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ScaleError } from '../core/errors.js';
import type { UrlTarget } from '../spec/test-spec.js';
import type { Target, TargetPod } from './target.js';

/**
 * Any HTTP endpoint. Pods are only known from the pod header of responses, so `pods()` is
 * empty and the run treats every pod it has seen as eligible.
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

/**
 * Refuses targets that do not resolve to loopback: the engine must never become a traffic
 * cannon pointed at someone else's service. Checked after DNS resolution, on every address.
 */
export async function assertLoopbackUrl(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addrs = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
  if (addrs.length === 0) throw new ScaleError('target_unreachable', `cannot resolve ${host}`);
  const bad = addrs.filter((a) => !isLoopback(a));
  if (bad.length > 0)
    throw new ScaleError('forbidden_target', `target ${host} resolves to ${bad.join(', ')}, outside the allow-list (loopback only)`, [
      { path: 'target.url', message: `${host} is not a loopback address` },
    ]);
}

export function isLoopback(addr: string): boolean {
  if (addr === '::1') return true;
  const v4 = addr.startsWith('::ffff:') ? addr.slice(7) : addr;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
