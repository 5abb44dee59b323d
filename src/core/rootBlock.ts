/**
 * Root block: header + ordered minor headers (DESIGN §4).
 * Header layout (244 bytes, nonce and mixhash last):
 *   version u32 | height u64 | hashPrevBlock (32) | hashMerkleRoot (32) | coinbase (24) |
 *   coinbaseAmount u256 | createTime u64 | difficulty u256 | totalDifficulty u256 || nonce u64 | mixhash (32)
 */
import { readAddress, writeAddress, type Address } from './address.js';
import { decodeAll, Reader, Writer } from './codec.js';
import type { Bytes } from './bytes.js';
import { MAX_HEADERS_PER_ROOT_BLOCK } from './limits.js';
import { memoByObject } from './memo.js';
import { merkleRoot } from './merkle.js';
import { minorHeaderHash, readMinorHeader, writeMinorHeader, MINOR_HEADER_LEN, type MinorHeader } from './minorBlock.js';
import { keccak256 } from './keccak.js';

export const ROOT_HEADER_SEAL_LEN = 204;
export const ROOT_HEADER_LEN = ROOT_HEADER_SEAL_LEN + 40;

export interface RootHeader {
  readonly version: number;
  readonly height: number;
  readonly hashPrevBlock: Bytes;
  readonly hashMerkleRoot: Bytes;
  readonly coinbase: Address;
  readonly coinbaseAmount: bigint;
  readonly createTime: number;
  readonly difficulty: bigint;
  readonly totalDifficulty: bigint;
  readonly nonce: bigint;
  readonly mixhash: Bytes;
}

export interface RootBlock {
  readonly header: RootHeader;
  readonly minorHeaders: readonly MinorHeader[];
}

export function writeRootHeader(w: Writer, h: RootHeader): void {
  w.u32(h.version).u64n(h.height).fixed(h.hashPrevBlock, 32).fixed(h.hashMerkleRoot, 32);
  writeAddress(w, h.coinbase);
  w.u256(h.coinbaseAmount).u64n(h.createTime).u256(h.difficulty).u256(h.totalDifficulty).u64(h.nonce).fixed(h.mixhash, 32);
}

export function readRootHeader(r: Reader): RootHeader {
  return {
    version: r.u32(), height: r.u64n(), hashPrevBlock: r.fixed(32), hashMerkleRoot: r.fixed(32), coinbase: readAddress(r),
    coinbaseAmount: r.u256(), createTime: r.u64n(), difficulty: r.u256(), totalDifficulty: r.u256(), nonce: r.u64(), mixhash: r.fixed(32),
  };
}

export function writeRootBlock(w: Writer, b: RootBlock): void {
  writeRootHeader(w, b.header);
  w.list(b.minorHeaders, writeMinorHeader);
}

export function readRootBlock(r: Reader): RootBlock {
  return { header: readRootHeader(r), minorHeaders: r.list(MAX_HEADERS_PER_ROOT_BLOCK, readMinorHeader) };
}

export const encodeRootHeader = memoByObject((h: RootHeader): Bytes => {
  const w = new Writer(ROOT_HEADER_LEN);
  writeRootHeader(w, h);
  return w.finish();
});
export const decodeRootHeader = (b: Bytes): RootHeader => decodeAll(b, readRootHeader);

export const encodeRootBlock = memoByObject((b: RootBlock): Bytes => {
  const w = new Writer(ROOT_HEADER_LEN + 4 + b.minorHeaders.length * MINOR_HEADER_LEN);
  writeRootBlock(w, b);
  return w.finish();
});
export const decodeRootBlock = (b: Bytes): RootBlock => decodeAll(b, readRootBlock);

export const rootHeaderHash = memoByObject((h: RootHeader): Bytes => keccak256(encodeRootHeader(h)));
export const rootSealHash = memoByObject((h: RootHeader): Bytes => keccak256(encodeRootHeader(h).subarray(0, ROOT_HEADER_SEAL_LEN)));
export const rootBlockHash = (b: RootBlock): Bytes => rootHeaderHash(b.header);

export function minorHeadersMerkleRoot(headers: readonly MinorHeader[]): Bytes {
  return merkleRoot(headers.map(minorHeaderHash));
}
