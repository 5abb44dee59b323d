/**
 * Every key prefix of every database, in one place (DESIGN §9). One LevelDB per shard
 * (`datadir/shard-<id hex>/`, owned by that shard's worker) and one for the root chain
 * (`datadir/root/`, owned by the coordinator). Keys are a one-byte prefix plus a 32-byte hash,
 * or a one-byte prefix plus a name.
 *
 * Shard database:
 *   'B' + blockHash   → minor block (full encoding)
 *   'H' + blockHash   → minor header (256 bytes; loaded at start to rebuild the block tree)
 *   'D' + blockHash   → state diff of the block: changed accounts (recipient 20 | balance u256 | nonce u64)*
 *   'O' + blockHash   → deposit lists this block emitted: (dest u32 | encoded list)* — re-sent after a crash
 *   'S' + blockHash   → cumulative block statistics (coinbase, fees, emitted, applied, txs) for conservation
 *   'C' + blockHash   → commit flag (1 byte): lists durably delivered and the coordinator has the header
 *   'X' + sourceHash  → deposit list received from another shard's block
 *   'R' + rootHash    → root block (the shard's own copy, for root references and deposits)
 *   'M' + name        → metadata: 'tip', 'rootTip', 'config'
 *   'T' + txHash + blockHash      → u32 index of the transaction in that block (RPC lookups; one
 *                                   entry per block that includes it, so forks are told apart)
 *   'A' + txHash + blockHash      → u32 position of the cross-shard deposit applied by that block
 *                                   ('T' and 'A' are not written by a chain that prunes old bodies)
 *
 * Root database:
 *   'R' + rootHash    → root block
 *   'H' + minorHash   → committed minor header reported by a shard
 *   'M' + name        → metadata: 'tip', 'wal' (root block being delivered to shards), 'config'
 */
import { concatBytes, type Bytes } from '../core/bytes.js';

export const P_BLOCK = 0x42;      // 'B'
export const P_HEADER = 0x48;     // 'H'
export const P_DIFF = 0x44;       // 'D'
export const P_OUT_LISTS = 0x4f;  // 'O'
export const P_STATS = 0x53;      // 'S'
export const P_COMMIT = 0x43;     // 'C'
export const P_XSHARD = 0x58;     // 'X'
export const P_ROOT = 0x52;       // 'R'
export const P_META = 0x4d;       // 'M'
export const P_TX_INDEX = 0x54;   // 'T'
export const P_DEPOSIT_INDEX = 0x41; // 'A'

export function key(prefix: number, hash: Bytes): Bytes {
  return concatBytes(Uint8Array.of(prefix), hash);
}

export function metaKey(name: string): Bytes {
  return concatBytes(Uint8Array.of(P_META), new TextEncoder().encode(name));
}

/** Range bounds covering every key with `prefix`. */
export function prefixRange(prefix: number): { gte: Bytes; lt: Bytes } {
  return { gte: Uint8Array.of(prefix), lt: Uint8Array.of(prefix + 1) };
}
