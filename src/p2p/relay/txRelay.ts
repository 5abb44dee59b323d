/**
 * Transfer relay (DESIGN §10, QuarkChain's `broadcast_tx_list`). Transfers accepted into one of
 * our pools (RPC, createTransactions, a peer) are queued per shard and flushed in batches of at
 * most MAX_RELAY_TXS to every peer that does not know them yet (a bounded known-set per peer: a
 * transfer a peer sent us, or we sent it, never goes to it again). A peer's transfers are capped
 * per second by a token bucket (what exceeds it is dropped and counted), deduplicated by hash,
 * and admitted through the shard's own rules; invalid ones count against the peer. Pure logic:
 * the owner calls `flush` on a timer and supplies the hooks.
 */
import { keyOf, type Bytes } from '../../core/bytes.js';
import { keccak256 } from '../../core/keccak.js';
import { BoundedSet } from '../boundedSet.js';
import { MAX_RELAY_TXS } from '../limits.js';
import { peerFault, type PeerFault } from '../peerFault.js';
import { TokenBucket } from '../tokenBucket.js';

/** Transfers remembered per peer as known to it: a few seconds of a heavy stream. */
export const KNOWN_TXS_PER_PEER = 32_768;
/** Transfers remembered as seen from any peer, so a copy arriving by a second path is not admitted twice. */
export const SEEN_TXS = 65_536;
/** A peer's transfers admitted per second: well above what one node's RPC users send, far below what would starve sealing. */
export const PEER_TXS_PER_SEC = 2_000;
/** The bucket's burst: one second's worth, so a batch right after a quiet spell passes whole. */
export const PEER_TX_BURST = PEER_TXS_PER_SEC;
/** How often the owner should call `flush`: short enough for the next block, long enough to batch. */
export const TX_RELAY_FLUSH_MS = 100;

export interface TxRelayHooks {
  /** Handshaken peers' ids. */
  peers(): readonly string[];
  send(peer: string, shard: number, txs: readonly Bytes[]): void;
  /** Admits transfers into `shard`'s pool; which were accepted (raw bytes) and how many were refused as invalid. */
  admit(shard: number, txs: readonly Bytes[]): Promise<{ readonly accepted: readonly Bytes[]; readonly invalid: number }>;
  fault(peer: string, fault: PeerFault): void;
  now(): number;
}

export interface TxRelayCounters {
  relayed: number;
  received: number;
  duplicate: number;
  /** Over the peer's rate cap: dropped unread. */
  capped: number;
  accepted: number;
  invalid: number;
}

export class TxRelay {
  /** Per shard, transfers to relay with their hash keys (hashed once, when queued). */
  private readonly queued = new Map<number, { readonly tx: Bytes; readonly key: string }[]>();
  private readonly known = new Map<string, BoundedSet>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly seen = new BoundedSet(SEEN_TXS);
  readonly counters: TxRelayCounters = { relayed: 0, received: 0, duplicate: 0, capped: 0, accepted: 0, invalid: 0 };

  constructor(private readonly h: TxRelayHooks) {}

  /** Transfers accepted into `shard`'s pool here (raw encodings): relayed at the next flush. */
  onAccepted(shard: number, txs: readonly Bytes[]): void {
    this.enqueue(shard, txs.map((tx) => ({ tx, key: keyOf(keccak256(tx)) })), null);
  }

  private enqueue(shard: number, items: readonly { readonly tx: Bytes; readonly key: string }[], from: string | null): void {
    const q = this.queued.get(shard) ?? [];
    for (const it of items) {
      this.seen.add(it.key);
      if (from) this.knownTo(from).add(it.key);
      q.push(it);
    }
    this.queued.set(shard, q);
  }

  /** Sends what is queued to every peer that does not know it, in batches of at most MAX_RELAY_TXS. */
  flush(): void {
    const peers = this.h.peers();
    for (const [shard, queued] of this.queued) {
      this.queued.delete(shard);
      for (const p of peers) {
        const known = this.knownTo(p);
        const fresh = queued.filter((q) => known.add(q.key)).map((q) => q.tx);
        for (let i = 0; i < fresh.length; i += MAX_RELAY_TXS) {
          this.h.send(p, shard, fresh.slice(i, i + MAX_RELAY_TXS));
          this.counters.relayed += Math.min(MAX_RELAY_TXS, fresh.length - i);
        }
      }
    }
  }

  /** A peer's NEW_TRANSACTIONS. */
  async onPeerTxs(peer: string, shard: number, txs: readonly Bytes[]): Promise<void> {
    this.counters.received += txs.length;
    let bucket = this.buckets.get(peer);
    if (!bucket) this.buckets.set(peer, (bucket = new TokenBucket(PEER_TXS_PER_SEC, PEER_TX_BURST, this.h.now())));
    const granted = bucket.take(txs.length, this.h.now());
    this.counters.capped += txs.length - granted;
    const known = this.knownTo(peer);
    const fresh: Bytes[] = [];
    const keys = new Map<Bytes, string>();
    for (const tx of txs.slice(0, granted)) {
      const k = keyOf(keccak256(tx));
      known.add(k);
      if (this.seen.add(k)) { fresh.push(tx); keys.set(tx, k); }
      else this.counters.duplicate++;
    }
    if (fresh.length === 0) return;
    const r = await this.h.admit(shard, fresh);
    this.counters.accepted += r.accepted.length;
    this.counters.invalid += r.invalid;
    if (r.invalid > 0) {
      this.h.fault(peer, peerFault('P2P_BAD_TX', false, 'BAD_MESSAGE', `${r.invalid} of ${fresh.length} relayed transfers on shard 0x${shard.toString(16)} invalid`));
    }
    // `admit` returns the accepted transfers themselves, so their keys are not hashed again.
    if (r.accepted.length) this.enqueue(shard, r.accepted.map((tx) => ({ tx, key: keys.get(tx) ?? keyOf(keccak256(tx)) })), peer);
  }

  /** A peer left: forget what it knew and its bucket. */
  onPeerClosed(peer: string): void {
    this.known.delete(peer);
    this.buckets.delete(peer);
  }

  private knownTo(peer: string): BoundedSet {
    let s = this.known.get(peer);
    if (!s) this.known.set(peer, (s = new BoundedSet(KNOWN_TXS_PER_PEER)));
    return s;
  }
}
