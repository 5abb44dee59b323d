/**
 * Parameter decoders (interfaces §0): quantities are `0x` + hex (leading zeros accepted on
 * input, minimal on output), data is `0x` + even-length hex, heights also accept `latest`,
 * `pending` and `earliest`. Anything else is error −32602 naming the parameter.
 */
import { fromHex, type Bytes } from '../core/bytes.js';
import { ADDRESS_LEN, addressFromBytes, type Address } from '../core/address.js';
import { invalidParams } from './errors.js';

/** Longest quantity accepted: 256 bits (64 hex digits) plus the `0x` and a few leading zeros. */
const MAX_QUANTITY_CHARS = 2 + 72;
const HEX_DIGITS = /^0x[0-9a-fA-F]+$/;
export const HASH_LEN = 32;
/** Transaction and minor-block ids: a 32-byte hash + a 4-byte full shard key or id. */
export const ID_LEN = 36;
export const RECIPIENT_LEN = 20;
const U32_MAX = 0xffffffffn;
export const U64_MAX = (1n << 64n) - 1n;

export type Params = readonly unknown[];

/** The params of a call as an array; `objectOk` lets an object stand for a single argument. */
export function asArray(params: unknown, objectOk = false): Params {
  if (params === undefined) return [];
  if (Array.isArray(params)) return params;
  if (objectOk && typeof params === 'object' && params !== null) return [params];
  throw invalidParams('params must be an array');
}

export function arity(p: Params, min: number, max: number): void {
  if (p.length < min || p.length > max) {
    throw invalidParams(min === max ? `expected ${min} parameter(s), got ${p.length}` : `expected ${min} to ${max} parameters, got ${p.length}`);
  }
}

export function quantity(v: unknown, name: string, max?: bigint): bigint {
  if (typeof v !== 'string' || v.length > MAX_QUANTITY_CHARS || !HEX_DIGITS.test(v)) throw invalidParams(`${name}: expected a 0x-prefixed hex quantity`);
  const n = BigInt(v);
  if (max !== undefined && n > max) throw invalidParams(`${name}: ${v} is out of range`);
  return n;
}

export function quantityNumber(v: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  return Number(quantity(v, name, BigInt(max)));
}

export function u32(v: unknown, name: string): number {
  return Number(quantity(v, name, U32_MAX));
}

/** A plain JSON integer or a hex quantity (createTransactions takes both). */
export function intOrQuantity(v: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0 || v > max) throw invalidParams(`${name}: expected an integer in [0, ${max}]`);
    return v;
  }
  return quantityNumber(v, name, max);
}

export function data(v: unknown, name: string, len?: number): Bytes {
  if (typeof v !== 'string' || !v.startsWith('0x')) throw invalidParams(`${name}: expected 0x-prefixed hex data`);
  if (len !== undefined && v.length !== 2 + 2 * len) throw invalidParams(`${name}: expected ${len} bytes`);
  try {
    return fromHex(v);
  } catch {
    throw invalidParams(`${name}: expected even-length hex data`);
  }
}

export function address(v: unknown, name = 'address'): Address {
  return addressFromBytes(data(v, name, ADDRESS_LEN));
}

/** A full shard key, or null for the root chain where QuarkChain uses it. */
export function keyOrRoot(v: unknown, name = 'fullShardKey'): number | null {
  return v === null || v === undefined ? null : u32(v, name);
}

/** A block height: null for the tip (absent, null, `latest`, `pending`), 0 for `earliest`. */
export function height(v: unknown, name = 'height'): number | null {
  if (v === undefined || v === null || v === 'latest' || v === 'pending') return null;
  if (v === 'earliest') return 0;
  return quantityNumber(v, name);
}

export function bool(v: unknown, name: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw invalidParams(`${name}: expected true or false`);
  return v;
}

/** A 36-byte id: hash + full shard key (or id). */
export function id36(v: unknown, name = 'id'): { hash: Bytes; key: number } {
  const b = data(v, name, ID_LEN);
  return { hash: b.slice(0, HASH_LEN), key: new DataView(b.buffer, b.byteOffset + HASH_LEN, 4).getUint32(0) };
}
