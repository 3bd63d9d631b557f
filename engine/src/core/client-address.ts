/**
 * Source addresses of the load generator's virtual clients. A balancer that hashes the client
 * (consistent-hash by client, kube-proxy's session affinity) must see many clients, not one
 * 127.0.0.1: each virtual client (a closed-model user with its own connection, or one connection
 * of the pool) connects from its own address. Linux routes all of 127.0.0.0/8 to the loopback
 * device, so any address in it can be bound without configuration, and traffic never leaves the
 * machine. The simulator keys its clients with the same addresses, so its consistent-hash
 * predictions use the very keys the live run has.
 *
 * Client i gets 127.A.B.C with A >= 1 (clear of 127.0.0.x, where services listen), C in 1..254.
 */
export function clientAddress(i: number): string {
  const c = 1 + (i % 254);
  const rest = Math.floor(i / 254);
  return `127.${1 + Math.floor(rest / 256)}.${rest % 256}.${c}`;
}

/** Clients that fit in the range clientAddress uses (127.1.0.1 .. 127.255.255.254). */
export const MAX_CLIENT_ADDRESSES = 255 * 256 * 254;

/**
 * Whether the load generator can connect from distinct loopback addresses to `origin`: only an
 * IPv4 loopback address (a source in 127.0.0.0/8 cannot reach any other destination).
 */
export function takesClientAddresses(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return false;
  }
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
