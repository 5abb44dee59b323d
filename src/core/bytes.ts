/** Byte and hex helpers shared by every layer. */
import { invalid } from './errors.js';

export type Bytes = Uint8Array;

export const ZERO32: Bytes = new Uint8Array(32);

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(b: Bytes): string {
  let s = '0x';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

/** Parses `0x` + even-length hex (the `0x` is optional); `expectedLen` in bytes if given. */
export function fromHex(hex: string, expectedLen?: number): Bytes {
  const h = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw invalid('BAD_HEX', `not even-length hex: ${hex.slice(0, 80)}`);
  if (expectedLen !== undefined && h.length !== expectedLen * 2) {
    throw invalid('BAD_LENGTH', `expected ${expectedLen} bytes, got ${h.length / 2}`);
  }
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.substr(i * 2, 2), 16);
  return out;
}

export function equalBytes(a: Bytes, b: Bytes): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function compareBytes(a: Bytes, b: Bytes): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function concatBytes(...parts: Bytes[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** Big-endian bytes of a non-negative bigint, left-padded to `len`. */
export function bigintToBytes(v: bigint, len: number): Bytes {
  const out = new Uint8Array(len);
  let x = v;
  for (let i = len - 1; i >= 0; i--) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}

export function bytesToBigint(b: Bytes): bigint {
  let x = 0n;
  for (let i = 0; i < b.length; i++) x = (x << 8n) | BigInt(b[i]!);
  return x;
}

/** JSON-RPC quantity: `0x` + minimal hex. */
export function toQuantity(v: bigint | number): string {
  return '0x' + v.toString(16);
}

/**
 * Node's native hex encoder called on the array itself: unlike `Buffer.from(b.buffer, …)`, it
 * does not touch `.buffer`, which would move a small (on-heap) typed array's bytes into a fresh
 * off-heap ArrayBuffer, and it makes no Buffer object.
 */
const hexSlice = (Buffer.prototype as unknown as { hexSlice?: (this: Uint8Array, start: number, end: number) => string }).hexSlice;

/** A map key for a byte string (hex without prefix is cheap and readable). */
export const keyOf: (b: Bytes) => string = hexSlice
  ? (b) => hexSlice.call(b, 0, b.length)
  : (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
