/**
 * Who the network refuses, and until when (DESIGN §10 "Misbehaviour"): a banned peer's node id,
 * the address it can be dialled at, and — when it is not a loopback one — its host, so that a
 * fresh node id from the same machine does not undo the ban. Loopback peers are banned by id
 * only: local nodes share 127.0.0.1, and one bad one must not cut off the others. Every entry
 * expires with its ban. Pure: the clock is a parameter, so tests give it any address.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { canonicalHost, hostOf, isLoopback } from '../core/netAddress.js';

/** Past this many entries a new ban first sweeps out the expired ones: a stream of bans with fresh ids stays bounded by what is live. */
const SWEEP_ABOVE = 4_096;

export interface BanSubject {
  /** Its node id, when its HELLO came. */
  readonly nodeId?: Bytes;
  /** Where it can be dialled ("host:port"), when known. */
  readonly dialAddress?: string;
  /** The address its connection came from or went to ("host:port"): its host is banned unless loopback. Absent: not by host. */
  readonly remoteAddress?: string;
}

export class BanList {
  /** "id:<hex>", "addr:<host:port>" and "host:<host>" keys, with the time their ban ends. */
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Refuses the subject's node id, dial address and (when given and not loopback) host for `ms`. */
  ban(s: BanSubject, ms: number): void {
    const t = this.now();
    if (this.until.size > SWEEP_ABOVE) for (const [k, end] of this.until) if (end <= t) this.until.delete(k);
    const keys = [
      s.nodeId && `id:${keyOf(s.nodeId)}`,
      s.dialAddress && `addr:${s.dialAddress}`,
      s.remoteAddress !== undefined && !isLoopback(hostOf(s.remoteAddress)) && `host:${hostOf(s.remoteAddress)}`,
    ];
    for (const k of keys) if (k) this.until.set(k, Math.max(this.until.get(k) ?? 0, t + ms));
  }

  /** True while a node id, or a "host:port" dial address, is banned. */
  isBanned(key: Bytes | string): boolean {
    return this.live(typeof key === 'string' ? `addr:${key}` : `id:${keyOf(key)}`);
  }

  /** True while connections from `host` (an address as the socket reports it) are refused; never for a loopback host. */
  isHostBanned(host: string): boolean {
    const h = canonicalHost(host);
    return !isLoopback(h) && this.live(`host:${h}`);
  }

  private live(k: string): boolean {
    const end = this.until.get(k);
    if (end === undefined) return false;
    if (end > this.now()) return true;
    this.until.delete(k);
    return false;
  }
}

/** Where a peer can be dialled: the address we dialled, or its IP with the port its HELLO says it listens on. */
export function dialAddress(p: { readonly outbound: boolean; readonly address: string; readonly remoteHello?: { readonly listenPort: number } | undefined }): string | undefined {
  if (p.outbound) return p.address;
  const port = p.remoteHello?.listenPort ?? 0;
  if (port === 0) return undefined;
  return `${p.address.slice(0, p.address.lastIndexOf(':'))}:${port}`;
}
