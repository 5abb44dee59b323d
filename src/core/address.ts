/** 24-byte address = 20-byte recipient + 4-byte full shard key (DESIGN §3). */
import { fromHex, toHex, type Bytes } from './bytes.js';
import { invalid } from './errors.js';
import type { Reader, Writer } from './codec.js';

export const RECIPIENT_LEN = 20;
export const ADDRESS_LEN = 24;

export interface Address {
  readonly recipient: Bytes;
  readonly fullShardKey: number;
}

export function makeAddress(recipient: Bytes, fullShardKey: number): Address {
  if (recipient.length !== RECIPIENT_LEN) throw invalid('BAD_ADDRESS', `recipient must be 20 bytes, got ${recipient.length}`);
  if (!Number.isInteger(fullShardKey) || fullShardKey < 0 || fullShardKey > 0xffffffff) throw invalid('BAD_ADDRESS', `bad full shard key ${fullShardKey}`);
  return { recipient, fullShardKey: fullShardKey >>> 0 };
}

export function addressToBytes(a: Address): Bytes {
  const out = new Uint8Array(ADDRESS_LEN);
  out.set(a.recipient, 0);
  new DataView(out.buffer).setUint32(RECIPIENT_LEN, a.fullShardKey);
  return out;
}

export function addressFromBytes(b: Bytes): Address {
  if (b.length !== ADDRESS_LEN) throw invalid('BAD_ADDRESS', `address must be 24 bytes, got ${b.length}`);
  return { recipient: b.slice(0, RECIPIENT_LEN), fullShardKey: new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(RECIPIENT_LEN) };
}

export function addressToHex(a: Address): string {
  return toHex(addressToBytes(a));
}

export function addressFromHex(hex: string): Address {
  return addressFromBytes(fromHex(hex, ADDRESS_LEN));
}

export const ZERO_ADDRESS: Address = { recipient: new Uint8Array(RECIPIENT_LEN), fullShardKey: 0 };

export function writeAddress(w: Writer, a: Address): void {
  w.fixed(a.recipient, RECIPIENT_LEN).u32(a.fullShardKey);
}

export function readAddress(r: Reader): Address {
  return { recipient: r.fixed(RECIPIENT_LEN), fullShardKey: r.u32() };
}
