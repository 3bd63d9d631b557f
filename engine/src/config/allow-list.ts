import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ScaleError, ValidationError, type Issue } from '../core/errors.js';

/**
 * The target allow-list: the engine must not become a traffic cannon pointed at someone else's
 * service. Entries are CIDRs ("127.0.0.0/8"), addresses, or host names (resolved once here).
 * A target is allowed only when EVERY address its host resolves to is allowed, so a DNS name
 * with one public address among loopback ones is refused.
 */
export class TargetAllowList {
  private readonly list = new BlockList();
  private readonly names = new Set<string>();

  /** @throws ValidationError naming every malformed entry (see allowListIssues). */
  constructor(readonly spec: string) {
    const issues = allowListIssues(spec);
    if (issues.length > 0) throw new ValidationError(issues);
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

/** A DNS host name (RFC 1123 labels); what an allow-list entry is when it is not an address. */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/**
 * Every malformed entry of an allow-list: a CIDR whose address or prefix is wrong, or something
 * that is neither an address nor a host name. A typo must not quietly turn into a host name
 * that matches nothing (or into an empty list): the engine refuses to start instead.
 */
export function allowListIssues(spec: string): Issue[] {
  const issues: Issue[] = [];
  const entries = spec.split(',').map((s) => s.trim());
  const bad = (entry: string, why: string) => issues.push({ path: 'ENGINE_ALLOWED_TARGETS', message: `"${entry}": ${why}` });
  if (entries.every((e) => e === '')) bad(spec, 'no entries (use e.g. 127.0.0.0/8,::1)');
  for (const entry of entries) {
    if (entry === '') continue;
    const slash = entry.indexOf('/');
    if (entry.includes('://')) bad(entry, 'a URL: give its host name or address alone');
    else if (slash >= 0) {
      const addr = entry.slice(0, slash);
      const bits = entry.slice(slash + 1);
      const family = isIP(addr);
      const max = family === 6 ? 128 : 32;
      if (!family) bad(entry, 'a CIDR needs an IP address before the "/"');
      else if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) bad(entry, `the prefix length must be 0-${max}`);
    } else if (!isIP(entry) && !HOST_NAME.test(entry)) bad(entry, 'not an address, a CIDR or a host name');
  }
  return issues;
}
