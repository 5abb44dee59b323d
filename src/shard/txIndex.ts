/**
 * The shard's transaction and deposit indexes for RPC lookups (src/store/keys.ts 'T' and 'A').
 * Keys are prefix + txHash + blockHash, so a transaction included by two forks has two entries;
 * a lookup walks the (few) entries of one hash and keeps the one on the canonical chain. The
 * entries are written in the block's own atomic batch.
 */
import { concatBytes, type Bytes } from '../core/bytes.js';
import type { AppliedDeposit } from '../consensus/applyDeposits.js';
import type { BatchOp, KV } from '../store/kv.js';
import { P_DEPOSIT_INDEX, P_TX_INDEX } from '../store/keys.js';

const HASH_LEN = 32;
/** Entries read per lookup: one per block that includes the hash; forks rarely hold more than a few. */
const MAX_ENTRIES_PER_HASH = 64;

export interface IndexedAt {
  readonly blockHash: Bytes;
  /** Transaction index in the block, or the deposit's position among the block's applied deposits. */
  readonly index: number;
}

function u32(n: number): Bytes {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

function entryKey(prefix: number, hash: Bytes, blockHash: Bytes): Bytes {
  return concatBytes(Uint8Array.of(prefix), hash, blockHash);
}

/** The index entries of one block: its transactions, and the cross-shard deposits it applied. */
export function txIndexOps(blockHash: Bytes, txHashes: readonly Bytes[], applied: readonly AppliedDeposit[]): BatchOp[] {
  const ops: BatchOp[] = txHashes.map((h, i) => ({ type: 'put', key: entryKey(P_TX_INDEX, h, blockHash), value: u32(i) }));
  let pos = 0;
  for (const a of applied) {
    if (a.fromRoot) continue;
    ops.push({ type: 'put', key: entryKey(P_DEPOSIT_INDEX, a.deposit.txHash, blockHash), value: u32(pos++) });
  }
  return ops;
}

/** Where `hash` is indexed under `prefix` in a block that `canonical` accepts (the canonical chain). */
export async function locate(kv: KV, prefix: number, hash: Bytes, canonical: (blockHash: Bytes) => boolean): Promise<IndexedAt | null> {
  const lo = concatBytes(Uint8Array.of(prefix), hash);
  const hi = concatBytes(Uint8Array.of(prefix), hash, new Uint8Array(HASH_LEN).fill(0xff), Uint8Array.of(0xff));
  for await (const [k, v] of kv.iterate({ gte: lo, lt: hi, limit: MAX_ENTRIES_PER_HASH })) {
    if (k.length !== 1 + 2 * HASH_LEN || v.length !== 4) continue;
    const blockHash = k.slice(1 + HASH_LEN);
    if (canonical(blockHash)) return { blockHash, index: new DataView(v.buffer, v.byteOffset, 4).getUint32(0) };
  }
  return null;
}
