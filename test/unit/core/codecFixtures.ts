/**
 * Shared fixtures for the core codec tests: sample objects whose every field holds a distinct,
 * non-trivial value (so a swapped or dropped field changes the bytes), and error-code helpers.
 */
import assert from 'node:assert/strict';
import { makeAddress, type Address } from '../../../src/core/address.js';
import { ChainError } from '../../../src/core/errors.js';
import type { Deposit } from '../../../src/core/deposit.js';
import type { MinorHeader, MinorMeta } from '../../../src/core/minorBlock.js';
import type { RootHeader } from '../../../src/core/rootBlock.js';
import type { Transaction } from '../../../src/core/transaction.js';

/** The code of the ChainError `fn` throws; fails the test if it throws anything else or nothing. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ChainError, `expected a ChainError, got ${String(e)}`);
    return e.code;
  }
  assert.fail('expected an error, none was thrown');
}

export function expectCode(fn: () => unknown, code: string, what = ''): void {
  assert.equal(errorCode(fn), code, what);
}

/** `n` bytes counting up from `start` (mod 256): distinguishable filler. */
export function seq(n: number, start: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
}

/** A copy of `b` with one more byte. */
export function withTrailingByte(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  out[b.length] = 0x5a;
  return out;
}

/** Cut points for short-input tests: empty, one byte, inside, and one short of the end. */
export function cutPoints(len: number, inner: readonly number[] = []): number[] {
  return [...new Set([0, 1, ...inner, Math.floor(len / 2), len - 1])].filter((n) => n >= 0 && n < len);
}

/** A copy of `b` with big-endian u64 `v` written at `offset`. */
export function patchU64(b: Uint8Array, offset: number, v: bigint): Uint8Array {
  const out = b.slice();
  new DataView(out.buffer).setBigUint64(offset, v);
  return out;
}

/** A copy of `b` with big-endian u32 `v` written at `offset`. */
export function patchU32(b: Uint8Array, offset: number, v: number): Uint8Array {
  const out = b.slice();
  new DataView(out.buffer).setUint32(offset, v);
  return out;
}

/** The first u64 value a `number` field cannot hold exactly: 2^53. */
export const UNSAFE_U64 = 1n << 53n;

export const sampleAddress = (start: number, key: number): Address => makeAddress(seq(20, start), key);

export function sampleTx(over: Partial<Transaction> = {}): Transaction {
  return {
    nonce: 0x0102030405, gasPrice: (1n << 200n) + 77n, gasLimit: 21_000, to: sampleAddress(0x10, 0x00010003),
    value: (1n << 255n) + 12345n, networkId: 0xdeadbeef, fromFullShardKey: 0x00020001,
    v: 1, r: seq(32, 0x40), s: seq(32, 0x60), ...over,
  };
}

export function sampleMinorHeader(over: Partial<MinorHeader> = {}): MinorHeader {
  return {
    version: 7, branch: 0x00010005, height: 2 ** 40 + 3, coinbase: sampleAddress(0x20, 0x00010001),
    coinbaseAmount: (1n << 250n) + 9n, hashPrevMinorBlock: seq(32, 0x30), hashPrevRootBlock: seq(32, 0x50),
    gasLimit: 150_000_000, hashMeta: seq(32, 0x70), createTime: 1_700_000_000, difficulty: (1n << 100n) + 5n,
    nonce: 0xfedcba9876543210n, mixhash: seq(32, 0x90), ...over,
  };
}

export function sampleMeta(over: Partial<MinorMeta> = {}): MinorMeta {
  return {
    txMerkleRoot: seq(32, 0xa0), stateRoot: seq(32, 0xc0), gasUsed: 1_234_567, xshardGasLimit: 75_000_000,
    xshardGasUsed: 42_000, cursor: { rootHeight: 99, minorIndex: 3, depositIndex: 17 }, ...over,
  };
}

export function sampleRootHeader(over: Partial<RootHeader> = {}): RootHeader {
  return {
    version: 3, height: 2 ** 33 + 1, hashPrevBlock: seq(32, 0x11), hashMerkleRoot: seq(32, 0x31),
    coinbase: sampleAddress(0x51, 0x00030002), coinbaseAmount: (1n << 130n) + 1n, createTime: 1_700_000_123,
    difficulty: (1n << 90n) + 3n, totalDifficulty: (1n << 180n) + 4n, nonce: 0x0123456789abcdefn, mixhash: seq(32, 0x71),
    ...over,
  };
}

export function sampleDeposit(i: number, over: Partial<Deposit> = {}): Deposit {
  return {
    txHash: seq(32, 0x80 + i), from: sampleAddress(0x01 + i, 0x00010002), to: sampleAddress(0x41 + i, 0x00000003),
    value: (1n << 200n) + BigInt(i), gasPrice: 10n ** 9n + BigInt(i), gasRemaining: 30_000 + i, ...over,
  };
}
