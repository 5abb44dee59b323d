import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { decodeAll, Writer } from '../../../src/core/codec.js';
import { MAX_TXS_PER_BLOCK } from '../../../src/core/limits.js';
import { merkleRoot } from '../../../src/core/merkle.js';
import {
  decodeMeta, decodeMinorBlock, decodeMinorHeader, encodeMeta, encodeMinorBlock, encodeMinorHeader, metaHash,
  MINOR_HEADER_LEN, MINOR_HEADER_SEAL_LEN, minorBlockHash, minorHeaderHash, minorSealHash, readMinorBlockLazily, txMerkleRoot,
  writeMeta, writeMinorHeader, type MinorBlock,
} from '../../../src/core/minorBlock.js';
import { TX_LEN, txHash } from '../../../src/core/transaction.js';
import {
  cutPoints, expectCode, patchU32, patchU64, sampleMeta, sampleMinorHeader, sampleTx, seq, UNSAFE_U64, withTrailingByte,
} from './codecFixtures.js';

/** Header field offsets (see the layout comment in src/core/minorBlock.ts). */
const H = {
  version: 0, branch: 4, height: 8, coinbase: 16, coinbaseAmount: 40, hashPrevMinorBlock: 72, hashPrevRootBlock: 104,
  gasLimit: 136, hashMeta: 144, createTime: 176, difficulty: 184, nonce: 216, mixhash: 224,
};
/** Meta field offsets: two hashes then six u64s. */
const M = { gasUsed: 64, xshardGasLimit: 72, xshardGasUsed: 80, rootHeight: 88, minorIndex: 96, depositIndex: 104 };
const META_LEN = 112;
const LIST_PREFIX_LEN = 4;

const sampleBlock = (n: number): MinorBlock => ({
  header: sampleMinorHeader(), meta: sampleMeta(),
  txs: Array.from({ length: n }, (_, i) => sampleTx({ nonce: i, r: seq(32, i), s: seq(32, 100 + i) })),
});

test('minor header: 256 bytes, nonce at 216 and mixhash at 224', () => {
  const h = sampleMinorHeader();
  const b = encodeMinorHeader(h);
  assert.equal(MINOR_HEADER_LEN, 256);
  assert.equal(MINOR_HEADER_SEAL_LEN, 216);
  assert.equal(b.length, 256);
  const dv = new DataView(b.buffer, b.byteOffset);
  assert.equal(dv.getUint32(H.version), h.version);
  assert.equal(dv.getUint32(H.branch), h.branch);
  assert.equal(dv.getBigUint64(H.height), BigInt(h.height));
  assert.deepEqual(b.subarray(H.coinbase, H.coinbase + 20), h.coinbase.recipient);
  assert.deepEqual(b.subarray(H.hashPrevMinorBlock, H.hashPrevMinorBlock + 32), h.hashPrevMinorBlock);
  assert.deepEqual(b.subarray(H.hashPrevRootBlock, H.hashPrevRootBlock + 32), h.hashPrevRootBlock);
  assert.equal(dv.getBigUint64(H.gasLimit), BigInt(h.gasLimit));
  assert.deepEqual(b.subarray(H.hashMeta, H.hashMeta + 32), h.hashMeta);
  assert.equal(dv.getBigUint64(H.createTime), BigInt(h.createTime));
  assert.equal(dv.getBigUint64(H.nonce), h.nonce);
  assert.deepEqual(b.subarray(H.mixhash), h.mixhash);
});

test('minor header and meta: round trip', () => {
  for (const h of [sampleMinorHeader(), sampleMinorHeader({ nonce: 0n, height: 0, coinbaseAmount: 0n }),
    sampleMinorHeader({ nonce: (1n << 64n) - 1n, difficulty: (1n << 256n) - 1n, height: Number.MAX_SAFE_INTEGER })]) {
    assert.deepEqual(decodeMinorHeader(encodeMinorHeader(h)), h);
  }
  const m = sampleMeta();
  assert.equal(encodeMeta(m).length, META_LEN);
  assert.deepEqual(decodeMeta(encodeMeta(m)), m);
  assert.equal(new DataView(encodeMeta(m).buffer).getBigUint64(M.depositIndex), 17n);
  assert.deepEqual(metaHash(m), keccak_256(encodeMeta(m)));
});

test('minor block: round trip with 0, 1 and 3 txs; length = header + meta + count + 177 per tx', () => {
  for (const n of [0, 1, 3]) {
    const b = sampleBlock(n);
    const enc = encodeMinorBlock(b);
    assert.equal(enc.length, MINOR_HEADER_LEN + META_LEN + LIST_PREFIX_LEN + n * TX_LEN);
    assert.deepEqual(decodeMinorBlock(enc), b);
    assert.deepEqual(minorBlockHash(b), minorHeaderHash(b.header));
  }
});

const decodeLazily = (b: Uint8Array): MinorBlock => decodeAll(b, readMinorBlockLazily);
/** Where a block's transfers start: header, meta, count. */
const TXS_AT = MINOR_HEADER_LEN + META_LEN + LIST_PREFIX_LEN;
/** A transfer's gas limit: after its nonce (u64) and gas price (u256). */
const TX_GAS_LIMIT_AT = 40;

test('minor block read lazily: equal to the eager read; its encoding and its header\'s are the bytes read, copied out of the input', () => {
  for (const n of [0, 1, 3]) {
    const input = Uint8Array.from(encodeMinorBlock(sampleBlock(n)));
    const b = decodeLazily(input);
    assert.deepEqual(b, decodeMinorBlock(input));
    assert.deepEqual(encodeMinorBlock(b), input);
    assert.deepEqual(encodeMinorHeader(b.header), input.subarray(0, MINOR_HEADER_LEN));
    assert.deepEqual(minorBlockHash(b), keccak_256(input.subarray(0, MINOR_HEADER_LEN)));
    const before = Uint8Array.from(input);
    input.fill(0xee);
    assert.deepEqual(encodeMinorBlock(b), before, 'a copy: the input may be reused');
    assert.deepEqual(b, decodeMinorBlock(before));
  }
});

test('minor block read lazily from a view inside a larger chunk (as ws hands frames): its encodings are a copy of the block alone, the header\'s within the block\'s', () => {
  const encoded = encodeMinorBlock(sampleBlock(3));
  const chunk = Buffer.alloc(encoded.length + 1000, 0xaa);
  chunk.set(encoded, 500);
  const b = decodeLazily(chunk.subarray(500, 500 + encoded.length));
  assert.equal(encodeMinorBlock(b).buffer.byteLength, encoded.length, 'a buffer of its own, not the chunk');
  assert.equal(encodeMinorHeader(b.header).buffer, encodeMinorBlock(b).buffer, 'primed: both are the bytes read');
  chunk.fill(0xee);
  assert.deepEqual(encodeMinorBlock(b), encoded);
  assert.deepEqual(b.txs.map(txHash), sampleBlock(3).txs.map(txHash));
});

test('minor block read lazily: its transfers are built on first read, once', () => {
  const b = decodeLazily(encodeMinorBlock(sampleBlock(3)));
  const txs = b.txs;
  assert.equal(b.txs, txs, 'the same list on every read');
  assert.deepEqual(txs.map(txHash), sampleBlock(3).txs.map(txHash));
});

test('minor block read lazily: refused when read wherever the eager read refuses it, transfers included', () => {
  const b = encodeMinorBlock(sampleBlock(2));
  const countAt = MINOR_HEADER_LEN + META_LEN;
  const cases: Array<[string, Uint8Array, string]> = [
    ['count over MAX_TXS_PER_BLOCK', patchU32(b, countAt, MAX_TXS_PER_BLOCK + 1), 'CODEC_OVERSIZE'],
    ['count larger than the txs present', patchU32(b, countAt, 3), 'CODEC_SHORT'],
    ['count smaller than the txs present', patchU32(b, countAt, 1), 'CODEC_TRAILING'],
    ['a header height over 2^53', patchU64(b, H.height, UNSAFE_U64), 'CODEC_RANGE'],
    ['a transfer nonce over 2^53', patchU64(b, TXS_AT + TX_LEN, UNSAFE_U64), 'CODEC_RANGE'],
    ['a transfer gas limit over 2^53', patchU64(b, TXS_AT + TX_GAS_LIMIT_AT, UNSAFE_U64), 'CODEC_RANGE'],
    ['an unsafe transfer nonce, and a count larger than the txs present', patchU64(patchU32(b, countAt, 3), TXS_AT, UNSAFE_U64), 'CODEC_RANGE'],
    ['trailing bytes', withTrailingByte(b), 'CODEC_TRAILING'],
  ];
  for (const [what, input, code] of cases) {
    expectCode(() => decodeMinorBlock(input), code, `eager: ${what}`);
    expectCode(() => decodeLazily(input), code, `lazy: ${what}`);
  }
  for (const n of cutPoints(b.length, [MINOR_HEADER_LEN, TXS_AT - 1, TXS_AT, TXS_AT + TX_LEN])) expectCode(() => decodeLazily(b.subarray(0, n)), 'CODEC_SHORT', `cut ${n}`);
});

test('minor header: seal hash is keccak of the first 216 bytes and ignores nonce and mixhash', () => {
  const h = sampleMinorHeader();
  const enc = encodeMinorHeader(h);
  assert.deepEqual(minorSealHash(h), keccak_256(enc.subarray(0, 216)));
  assert.deepEqual(minorHeaderHash(h), keccak_256(enc));
  const resealed = { ...h, nonce: h.nonce + 1n, mixhash: seq(32, 0) };
  assert.deepEqual(minorSealHash(resealed), minorSealHash(h));
  assert.notDeepEqual(minorHeaderHash(resealed), minorHeaderHash(h));
  assert.notDeepEqual(minorHeaderHash({ ...h, nonce: h.nonce + 1n }), minorHeaderHash(h), 'nonce alone changes the hash');
  assert.notDeepEqual(minorSealHash({ ...h, difficulty: h.difficulty + 1n }), minorSealHash(h), 'difficulty is sealed');
  assert.notDeepEqual(minorSealHash({ ...h, hashMeta: seq(32, 1) }), minorSealHash(h), 'the meta is sealed');
});

test('minor header: patching the nonce at offset 216 in place decodes to that nonce', () => {
  const h = sampleMinorHeader();
  const nonce = 0x1122334455667788n;
  const d = decodeMinorHeader(patchU64(encodeMinorHeader(h), MINOR_HEADER_SEAL_LEN, nonce));
  assert.equal(d.nonce, nonce);
  assert.deepEqual({ ...d, nonce: h.nonce }, h, 'nothing else changed');
  assert.deepEqual(minorSealHash(d), minorSealHash(h));
  assert.deepEqual(minorHeaderHash(d), minorHeaderHash({ ...h, nonce }));
});

test('minor header, meta, block: short input and trailing bytes', () => {
  const h = encodeMinorHeader(sampleMinorHeader());
  for (const n of cutPoints(h.length, Object.values(H).concat([215, 223]))) expectCode(() => decodeMinorHeader(h.subarray(0, n)), 'CODEC_SHORT', `header cut ${n}`);
  expectCode(() => decodeMinorHeader(withTrailingByte(h)), 'CODEC_TRAILING');
  const m = encodeMeta(sampleMeta());
  for (const n of cutPoints(m.length, Object.values(M).concat([32]))) expectCode(() => decodeMeta(m.subarray(0, n)), 'CODEC_SHORT', `meta cut ${n}`);
  expectCode(() => decodeMeta(withTrailingByte(m)), 'CODEC_TRAILING');
  const b = encodeMinorBlock(sampleBlock(2));
  const txStart = MINOR_HEADER_LEN + META_LEN + LIST_PREFIX_LEN;
  for (const n of cutPoints(b.length, [MINOR_HEADER_LEN, MINOR_HEADER_LEN + META_LEN, txStart - 1, txStart, txStart + TX_LEN])) {
    expectCode(() => decodeMinorBlock(b.subarray(0, n)), 'CODEC_SHORT', `block cut ${n}`);
  }
  expectCode(() => decodeMinorBlock(withTrailingByte(b)), 'CODEC_TRAILING');
});

test('minor block: a tx count over MAX_TXS_PER_BLOCK is CODEC_OVERSIZE before any tx is read', () => {
  const countAt = MINOR_HEADER_LEN + META_LEN;
  const b = encodeMinorBlock(sampleBlock(1));
  expectCode(() => decodeMinorBlock(patchU32(b, countAt, MAX_TXS_PER_BLOCK + 1)), 'CODEC_OVERSIZE');
  expectCode(() => decodeMinorBlock(patchU32(b, countAt, 0xffffffff)), 'CODEC_OVERSIZE');
  expectCode(() => decodeMinorBlock(patchU32(b, countAt, MAX_TXS_PER_BLOCK)), 'CODEC_SHORT', 'at the limit it reads on');
  expectCode(() => decodeMinorBlock(patchU32(b, countAt, 2)), 'CODEC_SHORT', 'count larger than the txs present');
  expectCode(() => decodeMinorBlock(patchU32(b, countAt, 0)), 'CODEC_TRAILING', 'count smaller than the txs present');
});

test('minor header and meta: u64 fields over 2^53 are CODEC_RANGE on decode', () => {
  const h = encodeMinorHeader(sampleMinorHeader());
  for (const off of [H.height, H.gasLimit, H.createTime]) expectCode(() => decodeMinorHeader(patchU64(h, off, UNSAFE_U64)), 'CODEC_RANGE', `offset ${off}`);
  assert.equal(decodeMinorHeader(patchU64(h, H.nonce, (1n << 64n) - 1n)).nonce, (1n << 64n) - 1n, 'the nonce is a full u64');
  const m = encodeMeta(sampleMeta());
  for (const off of Object.values(M)) expectCode(() => decodeMeta(patchU64(m, off, UNSAFE_U64)), 'CODEC_RANGE', `meta offset ${off}`);
});

test('minor header and meta: out-of-range values are rejected on encode', () => {
  const enc = (h: ReturnType<typeof sampleMinorHeader>): Uint8Array => { const w = new Writer(); writeMinorHeader(w, h); return w.finish(); };
  const bad: [string, Parameters<typeof sampleMinorHeader>[0], string][] = [
    ['unsafe height', { height: 2 ** 53 }, 'CODEC_RANGE'],
    ['negative height', { height: -1 }, 'CODEC_RANGE'],
    ['negative coinbaseAmount', { coinbaseAmount: -1n }, 'CODEC_RANGE'],
    ['coinbaseAmount 2^256', { coinbaseAmount: 1n << 256n }, 'CODEC_RANGE'],
    ['difficulty 2^256', { difficulty: 1n << 256n }, 'CODEC_RANGE'],
    ['nonce 2^64', { nonce: 1n << 64n }, 'CODEC_RANGE'],
    ['negative nonce', { nonce: -1n }, 'CODEC_RANGE'],
    ['fractional createTime', { createTime: 1.5 }, 'CODEC_RANGE'],
    ['unsafe gasLimit', { gasLimit: Number.MAX_SAFE_INTEGER + 1 }, 'CODEC_RANGE'],
    ['version 2^32', { version: 2 ** 32 }, 'CODEC_RANGE'],
    ['negative branch', { branch: -1 }, 'CODEC_RANGE'],
    ['short hashMeta', { hashMeta: new Uint8Array(31) }, 'CODEC_LENGTH'],
    ['long mixhash', { mixhash: new Uint8Array(33) }, 'CODEC_LENGTH'],
    ['short hashPrevRootBlock', { hashPrevRootBlock: new Uint8Array(0) }, 'CODEC_LENGTH'],
  ];
  for (const [what, over, code] of bad) {
    expectCode(() => encodeMinorHeader(sampleMinorHeader(over)), code, what);
    expectCode(() => enc(sampleMinorHeader(over)), code, `${what} (writer)`);
  }
  const encM = (over: Parameters<typeof sampleMeta>[0]): Uint8Array => { const w = new Writer(); writeMeta(w, sampleMeta(over)); return w.finish(); };
  expectCode(() => encM({ gasUsed: -1 }), 'CODEC_RANGE');
  expectCode(() => encM({ xshardGasUsed: 2 ** 53 }), 'CODEC_RANGE');
  expectCode(() => encM({ cursor: { rootHeight: 0, minorIndex: 0.5, depositIndex: 0 } }), 'CODEC_RANGE');
  expectCode(() => encM({ stateRoot: new Uint8Array(20) }), 'CODEC_LENGTH');
  expectCode(() => encodeMinorBlock({ ...sampleBlock(0), txs: [sampleTx({ value: -1n })] }), 'CODEC_RANGE', 'a bad tx fails the block');
});

test('minor block: txMerkleRoot is the merkle root of the tx hashes', () => {
  const b = sampleBlock(3);
  assert.deepEqual(txMerkleRoot(b.txs), merkleRoot(b.txs.map(txHash)));
  assert.deepEqual(txMerkleRoot([]), merkleRoot([]));
  assert.notDeepEqual(txMerkleRoot(b.txs), txMerkleRoot([b.txs[1]!, b.txs[0]!, b.txs[2]!]), 'order matters');
});
