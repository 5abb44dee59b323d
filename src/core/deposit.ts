/**
 * Cross-shard deposit and the deposit list one source block emits per destination (DESIGN §7).
 * Deposit layout (152 bytes): txHash (32) | from (24) | to (24) | value u256 | gasPrice u256 | gasRemaining u64.
 */
import { readAddress, writeAddress, type Address } from './address.js';
import { decodeAll, Reader, Writer } from './codec.js';
import type { Bytes } from './bytes.js';
import { MAX_DEPOSITS_PER_LIST } from './limits.js';

export const DEPOSIT_LEN = 152;

export interface Deposit {
  readonly txHash: Bytes;
  readonly from: Address;
  readonly to: Address;
  readonly value: bigint;
  readonly gasPrice: bigint;
  readonly gasRemaining: number;
}

export function writeDeposit(w: Writer, d: Deposit): void {
  w.fixed(d.txHash, 32);
  writeAddress(w, d.from);
  writeAddress(w, d.to);
  w.u256(d.value).u256(d.gasPrice).u64n(d.gasRemaining);
}

export function readDeposit(r: Reader): Deposit {
  return { txHash: r.fixed(32), from: readAddress(r), to: readAddress(r), value: r.u256(), gasPrice: r.u256(), gasRemaining: r.u64n() };
}

/**
 * A list's encoding, kept per list object: a source encodes each list once (for the ring and for
 * its out-lists record), and a destination stores the bytes it received.
 */
const listBytes = new WeakMap<readonly Deposit[], Bytes>();

/** The list's bytes (shared: do not mutate). */
export function encodeDepositList(list: readonly Deposit[]): Bytes {
  let b = listBytes.get(list);
  if (b === undefined) {
    const w = new Writer(4 + list.length * DEPOSIT_LEN);
    w.list(list, writeDeposit);
    b = w.finish();
    listBytes.set(list, b);
  }
  return b;
}

/** Decodes a list; the list keeps `b` as its encoding (the caller gives up `b`). */
export function decodeDepositList(b: Bytes): Deposit[] {
  const list = decodeAll(b, (r) => r.list(MAX_DEPOSITS_PER_LIST, readDeposit));
  listBytes.set(list, b);
  return list;
}
