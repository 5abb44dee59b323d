/** The shapes of the shard API's P2P calls (protocol.ts, ShardNetworkApi): plain data that crosses the worker boundary. */
import type { Bytes } from '../core/bytes.js';

/** GET_SHARD_HEADERS as the shard answers it: from a canonical block by hash, or a height. */
export interface ShardHeaderQuery {
  readonly hash?: Bytes;
  readonly height?: number;
  /** At most this many (the caller applies the served cap). */
  readonly limit: number;
  /** Heights skipped between two returned headers. */
  readonly skip: number;
  readonly toTip: boolean;
}

/** Encoded headers and the shard's tip header. */
export interface ShardHeadersReply {
  readonly tip: Bytes;
  readonly headers: Bytes[];
}

/** The fast path's check of an announced block. */
export interface NewBlockCheck {
  /** Stored already: nothing to do. */
  readonly known: boolean;
}

/** Relayed transfers admitted as one batch. */
export interface TxBatchResult {
  /** Indices (into the batch) of the transfers the pool accepted. */
  readonly accepted: number[];
  /** Transfers refused as the relaying peer's fault (not duplicates, stale nonces or a full pool: an honest relay meets those). */
  readonly invalid: number;
}
