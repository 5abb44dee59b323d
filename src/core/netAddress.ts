/**
 * Peer and listen addresses as Node reports them, pure string rules shared by the RPC server (its
 * private-method gating and per-address cap) and P2P (bans by address).
 */

/** A loopback host or peer address: `localhost`, ::1, 127.0.0.0/8 (IPv4-mapped included, as Node reports peers). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(host);
}

/** One spelling per host: no URL brackets (`[::1]`), an IPv4-mapped IPv6 address (`::ffff:10.0.0.7`, as a dual-stack socket reports it) as its IPv4 form. */
export function canonicalHost(host: string): string {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return h.startsWith('::ffff:') && h.includes('.') ? h.slice('::ffff:'.length) : h;
}

/** The canonical host of a "host:port" address. */
export function hostOf(address: string): string {
  const i = address.lastIndexOf(':');
  return canonicalHost(i < 0 ? address : address.slice(0, i));
}
