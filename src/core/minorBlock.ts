/**
 * Minor (shard) block: header, meta, transactions (DESIGN §4).
 * Header layout (256 bytes, nonce and mixhash last so a miner patches the nonce in place):
 *   version u32 | branch u32 | height u64 | coinbase (24) | coinbaseAmount u256 |
 *   hashPrevMinorBlock (32) | hashPrevRootBlock (32) | gasLimit u64 | hashMeta (32) |
 *   createTime u64 | difficulty u256 || nonce u64 | mixhash (32)
 * Block hash = keccak256(header); seal hash = keccak256(header without nonce and mixhash).
 */
import { readAddress, writeAddress, type Address } from './address.js';
import { decodeAll, Reader, Writer } from './codec.js';
import type { Bytes } from './bytes.js';
import { MAX_TXS_PER_BLOCK } from './limits.js';
import { memoByObject } from './memo.js';
import { merkleRoot } from './merkle.js';
import { checkRawTxs, readTx, TX_LEN, txHash, txsOfRaw, writeTx, type Transaction } from './transaction.js';
import { keccak256 } from './keccak.js';

export const MINOR_HEADER_SEAL_LEN = 216;
export const MINOR_HEADER_LEN = MINOR_HEADER_SEAL_LEN + 40;

export interface XshardCursor {
  readonly rootHeight: number;
  readonly minorIndex: number;
  readonly depositIndex: number;
}

export interface MinorHeader {
  readonly version: number;
  readonly branch: number;
  readonly height: number;
  readonly coinbase: Address;
  readonly coinbaseAmount: bigint;
  readonly hashPrevMinorBlock: Bytes;
  readonly hashPrevRootBlock: Bytes;
  readonly gasLimit: number;
  readonly hashMeta: Bytes;
  readonly createTime: number;
  readonly difficulty: bigint;
  readonly nonce: bigint;
  readonly mixhash: Bytes;
}

export interface MinorMeta {
  readonly txMerkleRoot: Bytes;
  readonly stateRoot: Bytes;
  readonly gasUsed: number;
  readonly xshardGasLimit: number;
  readonly xshardGasUsed: number;
  readonly cursor: XshardCursor;
}

export interface MinorBlock {
  readonly header: MinorHeader;
  readonly meta: MinorMeta;
  readonly txs: readonly Transaction[];
}

function writeSealPart(w: Writer, h: MinorHeader): void {
  w.u32(h.version).u32(h.branch).u64n(h.height);
  writeAddress(w, h.coinbase);
  w.u256(h.coinbaseAmount).fixed(h.hashPrevMinorBlock, 32).fixed(h.hashPrevRootBlock, 32)
    .u64n(h.gasLimit).fixed(h.hashMeta, 32).u64n(h.createTime).u256(h.difficulty);
}

export function writeMinorHeader(w: Writer, h: MinorHeader): void {
  writeSealPart(w, h);
  w.u64(h.nonce).fixed(h.mixhash, 32);
}

export function readMinorHeader(r: Reader): MinorHeader {
  return {
    version: r.u32(), branch: r.u32(), height: r.u64n(), coinbase: readAddress(r), coinbaseAmount: r.u256(),
    hashPrevMinorBlock: r.fixed(32), hashPrevRootBlock: r.fixed(32), gasLimit: r.u64n(), hashMeta: r.fixed(32),
    createTime: r.u64n(), difficulty: r.u256(), nonce: r.u64(), mixhash: r.fixed(32),
  };
}

export function writeMeta(w: Writer, m: MinorMeta): void {
  w.fixed(m.txMerkleRoot, 32).fixed(m.stateRoot, 32).u64n(m.gasUsed).u64n(m.xshardGasLimit).u64n(m.xshardGasUsed)
    .u64n(m.cursor.rootHeight).u64n(m.cursor.minorIndex).u64n(m.cursor.depositIndex);
}

export function readMeta(r: Reader): MinorMeta {
  return {
    txMerkleRoot: r.fixed(32), stateRoot: r.fixed(32), gasUsed: r.u64n(), xshardGasLimit: r.u64n(), xshardGasUsed: r.u64n(),
    cursor: { rootHeight: r.u64n(), minorIndex: r.u64n(), depositIndex: r.u64n() },
  };
}

export function writeMinorBlock(w: Writer, b: MinorBlock): void {
  writeMinorHeader(w, b.header);
  writeMeta(w, b.meta);
  w.list(b.txs, writeTx);
}

export function readMinorBlock(r: Reader): MinorBlock {
  return { header: readMinorHeader(r), meta: readMeta(r), txs: r.list(MAX_TXS_PER_BLOCK, readTx) };
}

/**
 * A minor block from a peer's frame, refused where readMinorBlock refuses it, whose transfers are
 * built on first read: a syncing node's main thread hands a block to its shard as bytes and never
 * reads them, and building a bundle's thousands of transfer objects at once held up the import
 * (bench/sync.ts). Its encoding is the bytes read (copied out of the frame, so that a worker task
 * does not clone the whole frame), and its header's their first MINOR_HEADER_LEN: encodeMinorBlock
 * and the header hash encode nothing (every field is fixed-width, so the bytes read are the encoding).
 */
export function readMinorBlockLazily(r: Reader): MinorBlock {
  const start = r.offset;
  const header = readMinorHeader(r);
  const meta = readMeta(r);
  const n = r.count(MAX_TXS_PER_BLOCK);
  const txsAt = r.offset - start;
  // The whole transfers present are checked before the length, as the eager read meets them: the same code for the same input.
  const present = Math.min(n, Math.floor(r.remaining / TX_LEN));
  checkRawTxs(r.viewOf(present * TX_LEN), present);
  r.viewOf((n - present) * TX_LEN);
  const bytes = r.copySince(start);
  const raw = bytes.subarray(txsAt);
  let txs: Transaction[] | undefined;
  const block: MinorBlock = { header, meta, get txs(): Transaction[] { return (txs ??= txsOfRaw(raw, n)); } };
  encodeMinorBlock.prime(block, bytes);
  encodeMinorHeader.prime(header, bytes.subarray(0, MINOR_HEADER_LEN));
  return block;
}

export const encodeMinorHeader = memoByObject((h: MinorHeader): Bytes => {
  const w = new Writer(MINOR_HEADER_LEN);
  writeMinorHeader(w, h);
  return w.finish();
});
export const decodeMinorHeader = (b: Bytes): MinorHeader => decodeAll(b, readMinorHeader);

export function encodeMeta(m: MinorMeta): Bytes {
  const w = new Writer(112);
  writeMeta(w, m);
  return w.finish();
}
export const decodeMeta = (b: Bytes): MinorMeta => decodeAll(b, readMeta);

export const encodeMinorBlock = memoByObject((b: MinorBlock): Bytes => {
  const w = new Writer(MINOR_HEADER_LEN + 112 + 4 + b.txs.length * 177);
  writeMinorBlock(w, b);
  return w.finish();
});
export const decodeMinorBlock = (b: Bytes): MinorBlock => decodeAll(b, readMinorBlock);

export const minorHeaderHash = memoByObject((h: MinorHeader): Bytes => keccak256(encodeMinorHeader(h)));
export const minorSealHash = memoByObject((h: MinorHeader): Bytes => keccak256(encodeMinorHeader(h).subarray(0, MINOR_HEADER_SEAL_LEN)));
export const metaHash = memoByObject((m: MinorMeta): Bytes => keccak256(encodeMeta(m)));
export const minorBlockHash = (b: MinorBlock): Bytes => minorHeaderHash(b.header);

/** Per transaction list (a list is never changed once built): a node's own sealed block reuses its candidate's list, so validating it hashes nothing again. */
export const txMerkleRoot = memoByObject((txs: readonly Transaction[]): Bytes => merkleRoot(txs.map(txHash)));
