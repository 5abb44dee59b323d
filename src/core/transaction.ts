/**
 * Transaction: a native-token transfer in shardminer's own fixed-size format (DESIGN §4).
 * Layout (177 bytes): nonce u64 | gasPrice u256 | gasLimit u64 | to (24) | value u256 |
 * networkId u32 | fromFullShardKey u32 || v u8 | r (32) | s (32).
 * Signing hash = keccak256(first 112 bytes); tx hash = keccak256(all 177 bytes).
 *
 * A transaction object keeps its 177 bytes beside its fields (decoded ones keep the bytes they
 * came from; others get them at their first encoding), and what is derived from them once (hash,
 * signing hash, hash key, recovered sender), in a non-enumerable property: a spread copy (a
 * changed transaction) starts without it, and assertions on the fields do not see it.
 */
import { writeAddress, type Address } from './address.js';
import { SAFE_HIGH, U32, Writer, type Reader } from './codec.js';
import { keyOf, type Bytes } from './bytes.js';
import { invalid } from './errors.js';
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

/** What a transaction object carries beyond its fields (see the file comment). */
export interface TxCache {
  /** The 177 bytes (shared: never mutated). */
  readonly raw: Bytes;
  hash: Bytes | undefined;
  hashKey: string | undefined;
  signingHash: Bytes | undefined;
  /** The recovered 20-byte sender (set by crypto/keys.ts). */
  sender: Bytes | undefined;
}

const CACHE: unique symbol = Symbol('tx bytes and hashes');
type Cached = { [CACHE]?: TxCache };

// Field offsets in the 177 bytes.
const O_GAS_PRICE = 8;
const O_GAS_LIMIT = 40;
const O_TO = 48;
const O_VALUE = 72;
const O_NETWORK = 104;
const O_FROM_KEY = 108;
const O_V = 112;
const O_R = 113;
const O_S = 145;

function writeUnsigned(w: Writer, tx: UnsignedTransaction): void {
  w.u64n(tx.nonce).u256(tx.gasPrice).u64n(tx.gasLimit);
  writeAddress(w, tx.to);
  w.u256(tx.value).u32(tx.networkId).u32(tx.fromFullShardKey);
}

function attach(tx: Transaction, raw: Bytes): TxCache {
  const c: TxCache = { raw, hash: undefined, hashKey: undefined, signingHash: undefined, sender: undefined };
  // A frozen object cannot carry it: its cache is then rebuilt on each call (correct, slower).
  if (Object.isExtensible(tx)) Object.defineProperty(tx, CACHE, { value: c });
  return c;
}

/** The cache if the object has one already (nothing is encoded). */
export function peekTxCache(tx: Transaction): TxCache | undefined {
  return (tx as Cached)[CACHE];
}

/** The transaction's bytes and derived values, encoding it on first use. */
export function txCache(tx: Transaction): TxCache {
  const c = (tx as Cached)[CACHE];
  if (c !== undefined) return c;
  const w = new Writer(TX_LEN);
  writeUnsigned(w, tx);
  w.u8(tx.v).fixed(tx.r, 32).fixed(tx.s, 32);
  return attach(tx, w.finish());
}

export function writeTx(w: Writer, tx: Transaction): void {
  w.fixed(txCache(tx).raw, TX_LEN);
}

const u32At = (b: Bytes, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** A u64 that must be a safe integer (nonce, gas limit). */
function u64nAt(b: Bytes, o: number): number {
  const hi = u32At(b, o);
  if (hi >= SAFE_HIGH) throw invalid('CODEC_RANGE', `u64 exceeds safe integer at ${o}`);
  return hi * U32 + u32At(b, o + 4);
}

/** A u256; values below 2^53 (every gas price and transfer value in practice) without big-integer shifts. */
function u256At(b: Bytes, o: number): bigint {
  let zero = true;
  for (let i = o; i < o + 24; i++) if (b[i] !== 0) { zero = false; break; }
  const hi = u32At(b, o + 24);
  if (zero && hi < SAFE_HIGH) return BigInt(hi * U32 + u32At(b, o + 28));
  let v = 0n;
  for (let i = 0; i < 32; i += 8) v = (v << 64n) | (BigInt(u32At(b, o + i)) << 32n) | BigInt(u32At(b, o + i + 4));
  return v;
}

/** The transaction of exactly 177 bytes `raw`, which it keeps (the caller gives up `raw`). */
function fromRaw(raw: Bytes): Transaction {
  const tx: Transaction = {
    nonce: u64nAt(raw, 0), gasPrice: u256At(raw, O_GAS_PRICE), gasLimit: u64nAt(raw, O_GAS_LIMIT),
    to: { recipient: raw.slice(O_TO, O_TO + 20), fullShardKey: u32At(raw, O_TO + 20) },
    value: u256At(raw, O_VALUE), networkId: u32At(raw, O_NETWORK), fromFullShardKey: u32At(raw, O_FROM_KEY),
    v: raw[O_V]!, r: raw.subarray(O_R, O_R + 32), s: raw.subarray(O_S, O_S + 32),
  };
  attach(tx, raw);
  return tx;
}

/**
 * Transfers' bytes are carved out of shared slabs, one ArrayBuffer per ~92 transfers instead
 * of one each (an ArrayBuffer costs an allocation and GC tracking well above a 177-byte copy).
 * A slab lives while any transfer of it does; transfers decoded together die together. 16 KiB,
 * not more: one long-lived transfer (a queued one lives up to 10 minutes) keeps its whole slab,
 * so a peer spacing its future-nonce transfers one a slab pins at most 16 KiB each (4,096 queued:
 * 64 MiB, where 256 KiB slabs would pin 1 GiB); the allocation is already amortised at this size.
 */
const SLAB_BYTES = 16 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/** A copy of `b` (177 bytes) in the current slab. */
function slabCopy(b: Bytes): Bytes {
  if (slabUsed + TX_LEN > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + TX_LEN);
  out.set(b);
  slabUsed += TX_LEN;
  return out;
}

export function readTx(r: Reader): Transaction {
  return fromRaw(slabCopy(r.viewOf(TX_LEN)));
}

/** Checks the `n` transfers in `raw` (n × TX_LEN bytes) as readTx would, building none: it refuses only a nonce or gas limit beyond a safe integer. */
export function checkRawTxs(raw: Bytes, n: number): void {
  for (let o = 0; o < n * TX_LEN; o += TX_LEN) {
    u64nAt(raw, o);
    u64nAt(raw, o + O_GAS_LIMIT);
  }
}

/** The `n` transfers in `raw` (checked by checkRawTxs), each keeping a view of `raw`. */
export function txsOfRaw(raw: Bytes, n: number): Transaction[] {
  const out: Transaction[] = [];
  for (let o = 0; o < n * TX_LEN; o += TX_LEN) out.push(fromRaw(raw.subarray(o, o + TX_LEN)));
  return out;
}

/** The shared bytes of `tx` (do not mutate). */
export function encodeTx(tx: Transaction): Bytes {
  return txCache(tx).raw;
}

/** Decodes exactly 177 bytes (copied: the transaction keeps its own, in a slab). */
export function decodeTx(b: Bytes): Transaction {
  if (b.length < TX_LEN) throw invalid('CODEC_SHORT', `short input reading ${TX_LEN} bytes at 0 (+${TX_LEN} > ${b.length})`);
  if (b.length > TX_LEN) throw invalid('CODEC_TRAILING', `${b.length - TX_LEN} trailing bytes`);
  return fromRaw(slabCopy(b));
}

export function encodeUnsignedTx(tx: UnsignedTransaction): Bytes {
  const w = new Writer(TX_UNSIGNED_LEN);
  writeUnsigned(w, tx);
  return w.finish();
}

/** keccak256 of the first 112 bytes; memoised on a (signed) transaction object. */
export function txSigningHash(tx: UnsignedTransaction): Bytes {
  const c = (tx as Cached)[CACHE] ?? ('v' in tx ? txCache(tx as Transaction) : undefined);
  if (c === undefined) return keccak256(encodeUnsignedTx(tx));
  return (c.signingHash ??= keccak256(c.raw.subarray(0, TX_UNSIGNED_LEN)));
}

export function txHash(tx: Transaction): Bytes {
  const c = txCache(tx);
  return (c.hash ??= keccak256(c.raw));
}

/** `keyOf(txHash(tx))`, computed once per transaction object. */
export function txHashKey(tx: Transaction): string {
  const c = txCache(tx);
  return (c.hashKey ??= keyOf(txHash(tx)));
}

/** A signed transaction from its unsigned part's bytes and the signature (no re-encoding). */
export function assembleSigned(unsigned: UnsignedTransaction, unsignedBytes: Bytes, signingHash: Bytes, v: number, r: Bytes, s: Bytes): Transaction {
  const raw = new Uint8Array(TX_LEN);
  raw.set(unsignedBytes, 0);
  raw[O_V] = v;
  raw.set(r, O_R);
  raw.set(s, O_S);
  const tx: Transaction = { ...unsigned, v, r, s };
  attach(tx, raw).signingHash = signingHash;
  return tx;
}
