/**
 * Transaction: a native-token transfer in shardminer's own fixed-size format (DESIGN §4).
 * Layout (177 bytes): nonce u64 | gasPrice u256 | gasLimit u64 | to (24) | value u256 |
 * networkId u32 | fromFullShardKey u32 || v u8 | r (32) | s (32).
 * Signing hash = keccak256(first 112 bytes); tx hash = keccak256(all 177 bytes).
 */
import { readAddress, writeAddress, type Address } from './address.js';
import { decodeAll, Reader, Writer } from './codec.js';
import type { Bytes } from './bytes.js';
import { memoByObject } from './memo.js';
import { keccak256 } from './keccak.js';

export const TX_UNSIGNED_LEN = 112;
export const TX_LEN = TX_UNSIGNED_LEN + 65;

export interface UnsignedTransaction {
  readonly nonce: number;
  readonly gasPrice: bigint;
  readonly gasLimit: number;
  readonly to: Address;
  readonly value: bigint;
  readonly networkId: number;
  readonly fromFullShardKey: number;
}

export interface Transaction extends UnsignedTransaction {
  /** Recovery id 0 or 1. */
  readonly v: number;
  readonly r: Bytes;
  readonly s: Bytes;
}

function writeUnsigned(w: Writer, tx: UnsignedTransaction): void {
  w.u64n(tx.nonce).u256(tx.gasPrice).u64n(tx.gasLimit);
  writeAddress(w, tx.to);
  w.u256(tx.value).u32(tx.networkId).u32(tx.fromFullShardKey);
}

export function writeTx(w: Writer, tx: Transaction): void {
  writeUnsigned(w, tx);
  w.u8(tx.v).fixed(tx.r, 32).fixed(tx.s, 32);
}

export function readTx(r: Reader): Transaction {
  const nonce = r.u64n();
  const gasPrice = r.u256();
  const gasLimit = r.u64n();
  const to = readAddress(r);
  const value = r.u256();
  const networkId = r.u32();
  const fromFullShardKey = r.u32();
  const v = r.u8();
  return { nonce, gasPrice, gasLimit, to, value, networkId, fromFullShardKey, v, r: r.fixed(32), s: r.fixed(32) };
}

export const encodeTx = memoByObject((tx: Transaction): Bytes => {
  const w = new Writer(TX_LEN);
  writeTx(w, tx);
  return w.finish();
});

export function decodeTx(b: Bytes): Transaction {
  return decodeAll(b, readTx);
}

export function encodeUnsignedTx(tx: UnsignedTransaction): Bytes {
  const w = new Writer(TX_UNSIGNED_LEN);
  writeUnsigned(w, tx);
  return w.finish();
}

export const txSigningHash = memoByObject((tx: UnsignedTransaction): Bytes => keccak256(encodeUnsignedTx(tx)));

export const txHash = memoByObject((tx: Transaction): Bytes => keccak256(encodeTx(tx)));
