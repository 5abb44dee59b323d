import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { addressToBytes } from '../../../src/core/address.js';
import { MAX_HEADERS_PER_ROOT_BLOCK } from '../../../src/core/limits.js';
import { merkleRoot } from '../../../src/core/merkle.js';
import { MINOR_HEADER_LEN, minorHeaderHash } from '../../../src/core/minorBlock.js';
import {
  decodeRootBlock, decodeRootHeader, encodeRootBlock, encodeRootHeader, minorHeadersMerkleRoot, ROOT_HEADER_LEN,
  ROOT_HEADER_SEAL_LEN, rootBlockHash, rootHeaderHash, rootSealHash, type RootBlock,
} from '../../../src/core/rootBlock.js';
import {
  cutPoints, expectCode, patchU32, patchU64, sampleMinorHeader, sampleRootHeader, seq, UNSAFE_U64, withTrailingByte,
} from './codecFixtures.js';

/** Header field offsets (see the layout comment in src/core/rootBlock.ts). */
const H = {
  version: 0, height: 4, hashPrevBlock: 12, hashMerkleRoot: 44, coinbase: 76, coinbaseAmount: 100, createTime: 132,
  difficulty: 140, totalDifficulty: 172, nonce: 204, mixhash: 212,
};
const LIST_PREFIX_LEN = 4;

const sampleBlock = (n: number): RootBlock => ({
  header: sampleRootHeader(),
  minorHeaders: Array.from({ length: n }, (_, i) => sampleMinorHeader({ branch: 4 + i, height: 10 + i, nonce: BigInt(i) })),
});

test('root header: 244 bytes in the documented layout', () => {
  const h = sampleRootHeader();
  const b = encodeRootHeader(h);
  assert.equal(ROOT_HEADER_LEN, 244);
  assert.equal(ROOT_HEADER_SEAL_LEN, 204);
  assert.equal(b.length, 244);
  const dv = new DataView(b.buffer, b.byteOffset);
  assert.equal(dv.getUint32(H.version), h.version);
  assert.equal(dv.getBigUint64(H.height), BigInt(h.height));
  assert.deepEqual(b.subarray(H.hashPrevBlock, H.hashPrevBlock + 32), h.hashPrevBlock);
  assert.deepEqual(b.subarray(H.hashMerkleRoot, H.hashMerkleRoot + 32), h.hashMerkleRoot);
  assert.deepEqual(b.subarray(H.coinbase, H.coinbase + 24), addressToBytes(h.coinbase));
  assert.equal(dv.getBigUint64(H.createTime), BigInt(h.createTime));
  assert.equal(dv.getBigUint64(H.totalDifficulty + 8), 1n << 52n, '2^180 sits in the second 64-bit word');
  assert.equal(dv.getBigUint64(H.nonce), h.nonce);
  assert.deepEqual(b.subarray(H.mixhash), h.mixhash);
});

test('root header and block: round trip; block length = header + count + 256 per minor header', () => {
  for (const h of [sampleRootHeader(), sampleRootHeader({ nonce: (1n << 64n) - 1n, totalDifficulty: (1n << 256n) - 1n, height: 0 })]) {
    assert.deepEqual(decodeRootHeader(encodeRootHeader(h)), h);
  }
  for (const n of [0, 1, 4]) {
    const b = sampleBlock(n);
    const enc = encodeRootBlock(b);
    assert.equal(enc.length, ROOT_HEADER_LEN + LIST_PREFIX_LEN + n * MINOR_HEADER_LEN);
    assert.deepEqual(decodeRootBlock(enc), b);
    assert.deepEqual(rootBlockHash(b), rootHeaderHash(b.header));
  }
});

test('root header: seal hash is keccak of the first 204 bytes and ignores nonce and mixhash', () => {
  const h = sampleRootHeader();
  const enc = encodeRootHeader(h);
  assert.deepEqual(rootSealHash(h), keccak_256(enc.subarray(0, 204)));
  assert.deepEqual(rootHeaderHash(h), keccak_256(enc));
  const resealed = { ...h, nonce: 5n, mixhash: seq(32, 200) };
  assert.deepEqual(rootSealHash(resealed), rootSealHash(h));
  assert.notDeepEqual(rootHeaderHash(resealed), rootHeaderHash(h));
  assert.notDeepEqual(rootHeaderHash({ ...h, mixhash: seq(32, 200) }), rootHeaderHash(h), 'mixhash alone changes the hash');
  assert.notDeepEqual(rootSealHash({ ...h, totalDifficulty: h.totalDifficulty + 1n }), rootSealHash(h), 'total difficulty is sealed');
});

test('root header: patching the nonce at offset 204 in place decodes to that nonce', () => {
  const h = sampleRootHeader();
  const nonce = 0x0badc0ffee000001n;
  const d = decodeRootHeader(patchU64(encodeRootHeader(h), ROOT_HEADER_SEAL_LEN, nonce));
  assert.equal(d.nonce, nonce);
  assert.deepEqual({ ...d, nonce: h.nonce }, h, 'nothing else changed');
  assert.deepEqual(rootSealHash(d), rootSealHash(h));
  assert.deepEqual(rootHeaderHash(d), rootHeaderHash({ ...h, nonce }));
});

test('root header and block: short input and trailing bytes', () => {
  const h = encodeRootHeader(sampleRootHeader());
  for (const n of cutPoints(h.length, Object.values(H).concat([203, 211]))) expectCode(() => decodeRootHeader(h.subarray(0, n)), 'CODEC_SHORT', `header cut ${n}`);
  expectCode(() => decodeRootHeader(withTrailingByte(h)), 'CODEC_TRAILING');
  const b = encodeRootBlock(sampleBlock(2));
  const first = ROOT_HEADER_LEN + LIST_PREFIX_LEN;
  for (const n of cutPoints(b.length, [ROOT_HEADER_LEN, first - 1, first, first + 100, first + MINOR_HEADER_LEN])) {
    expectCode(() => decodeRootBlock(b.subarray(0, n)), 'CODEC_SHORT', `block cut ${n}`);
  }
  expectCode(() => decodeRootBlock(withTrailingByte(b)), 'CODEC_TRAILING');
});

test('root block: a header count over MAX_HEADERS_PER_ROOT_BLOCK is CODEC_OVERSIZE', () => {
  const b = encodeRootBlock(sampleBlock(1));
  expectCode(() => decodeRootBlock(patchU32(b, ROOT_HEADER_LEN, MAX_HEADERS_PER_ROOT_BLOCK + 1)), 'CODEC_OVERSIZE');
  expectCode(() => decodeRootBlock(patchU32(b, ROOT_HEADER_LEN, 0xffffffff)), 'CODEC_OVERSIZE');
  expectCode(() => decodeRootBlock(patchU32(b, ROOT_HEADER_LEN, MAX_HEADERS_PER_ROOT_BLOCK)), 'CODEC_SHORT');
  expectCode(() => decodeRootBlock(patchU32(b, ROOT_HEADER_LEN, 0)), 'CODEC_TRAILING');
});

test('root header: u64 fields over 2^53 are CODEC_RANGE on decode', () => {
  const h = encodeRootHeader(sampleRootHeader());
  expectCode(() => decodeRootHeader(patchU64(h, H.height, UNSAFE_U64)), 'CODEC_RANGE', 'height');
  expectCode(() => decodeRootHeader(patchU64(h, H.createTime, (1n << 64n) - 1n)), 'CODEC_RANGE', 'createTime');
  const b = encodeRootBlock(sampleBlock(1));
  const minorHeight = ROOT_HEADER_LEN + LIST_PREFIX_LEN + 8;
  expectCode(() => decodeRootBlock(patchU64(b, minorHeight, UNSAFE_U64)), 'CODEC_RANGE', 'a minor header inside the block');
});

test('root header: out-of-range values are rejected on encode', () => {
  const bad: [string, Parameters<typeof sampleRootHeader>[0], string][] = [
    ['unsafe height', { height: 2 ** 53 }, 'CODEC_RANGE'],
    ['negative height', { height: -1 }, 'CODEC_RANGE'],
    ['negative coinbaseAmount', { coinbaseAmount: -1n }, 'CODEC_RANGE'],
    ['totalDifficulty 2^256', { totalDifficulty: 1n << 256n }, 'CODEC_RANGE'],
    ['difficulty negative', { difficulty: -1n }, 'CODEC_RANGE'],
    ['nonce 2^64', { nonce: 1n << 64n }, 'CODEC_RANGE'],
    ['fractional createTime', { createTime: 0.5 }, 'CODEC_RANGE'],
    ['version -1', { version: -1 }, 'CODEC_RANGE'],
    ['short hashPrevBlock', { hashPrevBlock: new Uint8Array(31) }, 'CODEC_LENGTH'],
    ['long hashMerkleRoot', { hashMerkleRoot: new Uint8Array(64) }, 'CODEC_LENGTH'],
    ['short mixhash', { mixhash: new Uint8Array(1) }, 'CODEC_LENGTH'],
  ];
  for (const [what, over, code] of bad) expectCode(() => encodeRootHeader(sampleRootHeader(over)), code, what);
  expectCode(() => encodeRootBlock({ header: sampleRootHeader(), minorHeaders: [sampleMinorHeader({ height: -1 })] }), 'CODEC_RANGE');
});

test('root block: minorHeadersMerkleRoot is the merkle root of the minor header hashes', () => {
  const b = sampleBlock(3);
  assert.deepEqual(minorHeadersMerkleRoot(b.minorHeaders), merkleRoot(b.minorHeaders.map(minorHeaderHash)));
  assert.notDeepEqual(minorHeadersMerkleRoot(b.minorHeaders), minorHeadersMerkleRoot(b.minorHeaders.slice(0, 2)));
});
