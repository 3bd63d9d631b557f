import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ScaleError } from '../core/errors.js';

/**
 * The target allow-list: the engine must not become a traffic cannon pointed at someone else's
 * service. Entries are CIDRs ("127.0.0.0/8"), addresses, or host names (resolved once here).
 * A target is allowed only when EVERY address its host resolves to is allowed, so a DNS name
 * with one public address among loopback ones is refused.
 */
export class TargetAllowList {
  private readonly list = new BlockList();
  private readonly names = new Set<string>();

  constructor(readonly spec: string) {
    for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [addr, bits] = raw.split('/');
      const family = isIP(addr);
      if (family && bits !== undefined) this.list.addSubnet(addr, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.list.addAddress(addr, family === 6 ? 'ipv6' : 'ipv4');
      else this.names.add(raw.toLowerCase());
    }
  }

  /** True when this address is covered by an entry. */
  allowsAddress(address: string): boolean {
    const v4 = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(v4);
    if (!family) return false;
    return this.list.check(v4, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * Resolves the URL's host and throws `forbidden_target` unless every address is allowed
   * (or the host name itself is listed).
   */
  async assertAllowed(url: string, path = 'target.url'): Promise<void> {
    let host: string;
    try {
      host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    } catch {
      throw new ScaleError('invalid_input', `not a URL: ${url}`, [{ path, message: 'not a URL' }]);
    }
    if (this.names.has(host)) return;
    const addrs = isIP(host) ? [host] : (await lookup(host, { all: true, verbatim: true }).catch(() => [])).map((a) => a.address);
    if (addrs.length === 0) throw new ScaleError('target_unreachable', `cannot resolve ${host}`, [{ path, message: `cannot resolve ${host}` }]);
    const bad = addrs.filter((a) => !this.allowsAddress(a));
    if (bad.length > 0)
      throw new ScaleError('forbidden_target', `target ${host} is outside the allow-list (${this.spec})`, [
        { path, message: `${host} resolves to ${bad.join(', ')}, not allowed by ENGINE_ALLOWED_TARGETS` },
      ]);
  }
}

/** The default: loopback only. */
export const LOOPBACK_ONLY = '127.0.0.0/8,::1';
