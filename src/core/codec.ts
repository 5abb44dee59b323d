/**
 * The binary codec: fixed-width big-endian integers, fixed-size hashes, length-prefixed byte
 * strings and lists. Every object has exactly one encoding; decoding rejects short input,
 * trailing bytes, out-of-range values and lengths over a stated limit with a coded error.
 */
import { invalid } from './errors.js';
import type { Bytes } from './bytes.js';

export const MAX_U256 = (1n << 256n) - 1n;
export const MAX_U64 = (1n << 64n) - 1n;
/** 2^32, to split and join u32 halves. */
export const U32 = 0x1_0000_0000;
/** A u64 whose high u32 is below this (2^21) is a safe integer. */
export const SAFE_HIGH = 0x20_0000;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw invalid('CODEC_RANGE', `u8 out of range: ${v}`);
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw invalid('CODEC_RANGE', `u32 out of range: ${v}`);
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  /** A u64 held as a JS number (heights, times, gas): must be a safe integer. */
  u64n(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw invalid('CODEC_RANGE', `u64 out of safe range: ${v}`);
    this.ensure(8);
    // Two u32 halves: no BigInt for a safe integer.
    this.view.setUint32(this.pos, Math.floor(v / U32));
    this.view.setUint32(this.pos + 4, v % U32);
    this.pos += 8;
    return this;
  }

  u64(v: bigint): this {
    if (v < 0n || v > MAX_U64) throw invalid('CODEC_RANGE', `u64 out of range: ${v}`);
    this.ensure(8);
    this.view.setBigUint64(this.pos, v);
    this.pos += 8;
    return this;
  }

  u256(v: bigint): this {
    if (v < 0n || v > MAX_U256) throw invalid('CODEC_RANGE', `u256 out of range: ${v}`);
    this.ensure(32);
    if (v <= MAX_SAFE) {
      // Balances, values and prices below 2^53: 24 zero bytes and two u32 halves, no BigInt shifts.
      const n = Number(v);
      this.buf.fill(0, this.pos, this.pos + 24);
      this.view.setUint32(this.pos + 24, Math.floor(n / U32));
      this.view.setUint32(this.pos + 28, n % U32);
      this.pos += 32;
      return this;
    }
    for (let i = 3; i >= 0; i--) {
      this.view.setBigUint64(this.pos + i * 8, v & MAX_U64);
      v >>= 64n;
    }
    this.pos += 32;
    return this;
  }

  /** Raw fixed-size bytes (hashes, addresses): the length is part of the type. */
  fixed(b: Bytes, len: number): this {
    if (b.length !== len) throw invalid('CODEC_LENGTH', `expected ${len} bytes, got ${b.length}`);
    this.ensure(len);
    this.buf.set(b, this.pos);
    this.pos += len;
    return this;
  }

  /** Length-prefixed (u32) byte string. */
  bytes(b: Bytes): this {
    this.u32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Length-prefixed (u32 count) list. */
  list<T>(items: readonly T[], put: (w: Writer, item: T) => void): this {
    this.u32(items.length);
    for (const it of items) put(this, it);
    return this;
  }

  finish(): Bytes {
    return this.buf.slice(0, this.pos);
  }
}

export class Reader {
  private pos = 0;
  private readonly view: DataView;

  /** The input as a plain Uint8Array: `slice` of a Node Buffer (a ws frame, a LevelDB value) is a view, so fixed() would not copy. */
  private readonly buf: Bytes;

  constructor(input: Bytes) {
    this.buf = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  get offset(): number {
    return this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw invalid('CODEC_SHORT', `short input reading ${what} at ${this.pos} (+${n} > ${this.buf.length})`);
    }
  }

  u8(): number {
    this.need(1, 'u8');
    return this.buf[this.pos++]!;
  }

  u32(): number {
    this.need(4, 'u32');
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8, 'u64');
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }

  /** A u64 that must fit a safe JS integer (heights, times, gas). */
  u64n(): number {
    this.need(8, 'u64');
    const hi = this.view.getUint32(this.pos);
    if (hi >= SAFE_HIGH) throw invalid('CODEC_RANGE', `u64 exceeds safe integer: ${this.view.getBigUint64(this.pos)}`);
    const v = hi * U32 + this.view.getUint32(this.pos + 4);
    this.pos += 8;
    return v;
  }

  u256(): bigint {
    this.need(32, 'u256');
    let small = true;
    for (let i = this.pos; i < this.pos + 24; i++) if (this.buf[i] !== 0) { small = false; break; }
    const hi = this.view.getUint32(this.pos + 24);
    if (small && hi < SAFE_HIGH) {
      const n = hi * U32 + this.view.getUint32(this.pos + 28);
      this.pos += 32;
      return BigInt(n);
    }
    let v = 0n;
    for (let i = 0; i < 4; i++) v = (v << 64n) | this.view.getBigUint64(this.pos + i * 8);
    this.pos += 32;
    return v;
  }

  fixed(len: number): Bytes {
    this.need(len, `${len} bytes`);
    const out = this.buf.slice(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** The next `len` bytes as a view of the input (no copy: the caller copies what it keeps). */
  viewOf(len: number): Bytes {
    this.need(len, `${len} bytes`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  bytes(maxLen: number): Bytes {
    const n = this.u32();
    if (n > maxLen) throw invalid('CODEC_OVERSIZE', `byte string of ${n} exceeds limit ${maxLen}`);
    return this.fixed(n);
  }

  /** A list's count (u32 prefix), at most `maxCount`. */
  count(maxCount: number): number {
    const n = this.u32();
    if (n > maxCount) throw invalid('CODEC_OVERSIZE', `list of ${n} exceeds limit ${maxCount}`);
    return n;
  }

  list<T>(maxCount: number, get: (r: Reader) => T): T[] {
    const n = this.count(maxCount);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(get(this));
    return out;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** A copy of the input from offset `start` to here. */
  copySince(start: number): Bytes {
    return this.buf.slice(start, this.pos);
  }

  /** Decoding must consume everything: trailing bytes are an error. */
  end(): void {
    if (this.pos !== this.buf.length) {
      throw invalid('CODEC_TRAILING', `${this.buf.length - this.pos} trailing bytes`);
    }
  }
}

/** Decodes a whole buffer with `get`, rejecting trailing bytes. */
export function decodeAll<T>(buf: Bytes, get: (r: Reader) => T): T {
  const r = new Reader(buf);
  const v = get(r);
  r.end();
  return v;
}
