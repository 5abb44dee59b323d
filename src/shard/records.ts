/** Encodings of the shard database's own records (see src/store/keys.ts). */
import { decodeAll, Writer } from '../core/codec.js';
import type { Bytes } from '../core/bytes.js';
import { encodeDepositList, readDeposit, type Deposit } from '../core/deposit.js';
import { MAX_DEPOSITS_PER_LIST } from '../core/limits.js';
import { readMeta, readMinorHeader, writeMeta, writeMinorHeader, type MinorHeader, type MinorMeta } from '../core/minorBlock.js';
import type { AccountChange } from '../consensus/stateOverlay.js';
import type { BlockStats } from '../consensus/conservation.js';

/** Accounts changed by one block: bounded by two per transaction and deposit. */
const MAX_DIFF_ENTRIES = 4 * MAX_DEPOSITS_PER_LIST;
/** One list per other shard. */
const MAX_LISTS = 1024;

export function encodeDiff(diff: readonly AccountChange[]): Bytes {
  const w = new Writer(4 + diff.length * 60);
  w.list(diff, (ww, c) => { ww.fixed(c.recipient, 20).u256(c.account.balance).u64n(c.account.nonce); });
  return w.finish();
}

export function decodeDiff(b: Bytes): AccountChange[] {
  return decodeAll(b, (r) => r.list(MAX_DIFF_ENTRIES, (rr) => ({ recipient: rr.fixed(20), account: { balance: rr.u256(), nonce: rr.u64n() } })));
}

export function encodeHeaderMeta(h: MinorHeader, m: MinorMeta): Bytes {
  const w = new Writer(368);
  writeMinorHeader(w, h);
  writeMeta(w, m);
  return w.finish();
}

export function decodeHeaderMeta(b: Bytes): { header: MinorHeader; meta: MinorMeta } {
  return decodeAll(b, (r) => ({ header: readMinorHeader(r), meta: readMeta(r) }));
}

/** u32 count, then per destination its u32 id and the list's own encoding (encoded once, shared with the ring). */
export function encodeOutLists(lists: ReadonlyMap<number, readonly Deposit[]>): Bytes {
  let n = 4;
  const parts: [number, Bytes][] = [];
  for (const [dest, list] of lists) { const b = encodeDepositList(list); parts.push([dest, b]); n += 4 + b.length; }
  const w = new Writer(n).u32(parts.length);
  for (const [dest, b] of parts) w.u32(dest).fixed(b, b.length);
  return w.finish();
}

export function decodeOutLists(b: Bytes): Map<number, Deposit[]> {
  const entries = decodeAll(b, (r) => r.list(MAX_LISTS, (rr) => [rr.u32(), rr.list(MAX_DEPOSITS_PER_LIST, readDeposit)] as const));
  return new Map(entries);
}

export function encodeStats(s: BlockStats): Bytes {
  return new Writer(136).u256(s.coinbase).u256(s.fees).u256(s.emitted).u256(s.applied).u64n(s.txs).finish();
}

export function decodeStats(b: Bytes): BlockStats {
  return decodeAll(b, (r) => ({ coinbase: r.u256(), fees: r.u256(), emitted: r.u256(), applied: r.u256(), txs: r.u64n() }));
}
