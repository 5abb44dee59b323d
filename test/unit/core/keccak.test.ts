import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256, referenceKeccak256, setKeccak } from '../../../src/core/keccak.js';
import { fromHex, toHex } from '../../../src/core/bytes.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Keccak-256 (original padding, as Ethereum and QuarkChain use; not FIPS SHA3-256). */
const VECTORS: readonly [string, string][] = [
  ['', '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'],
  ['abc', '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45'],
  ['The quick brown fox jumps over the lazy dog', '0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15'],
];
/** FIPS SHA3-256("") differs: a Keccak that used SHA3 padding would produce this. */
const SHA3_256_EMPTY = '0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

test('keccak: known vectors', () => {
  for (const [input, hash] of VECTORS) assert.equal(toHex(keccak256(utf8(input))), hash, JSON.stringify(input));
  assert.notEqual(toHex(keccak256(new Uint8Array(0))), SHA3_256_EMPTY);
});

test('keccak: inputs around the 136-byte rate give 32 bytes and differ from each other', () => {
  const seen = new Set<string>();
  for (const n of [135, 136, 137, 272, 1000]) {
    const h = keccak256(new Uint8Array(n).fill(0x61));
    assert.equal(h.length, 32);
    seen.add(toHex(h));
  }
  assert.equal(seen.size, 5);
});

test('keccak: hashes a view at a non-zero offset by its contents only', () => {
  const backing = utf8('xxabcxx');
  assert.equal(toHex(keccak256(backing.subarray(2, 5))), VECTORS[1]![1]);
});

test('keccak: setKeccak installs an implementation and the reference can be restored', () => {
  const calls: number[] = [];
  const fake = (d: Uint8Array): Uint8Array => { calls.push(d.length); return new Uint8Array(32).fill(7); };
  try {
    setKeccak(fake);
    assert.deepEqual(keccak256(utf8('abc')), new Uint8Array(32).fill(7));
    assert.deepEqual(calls, [3]);
    assert.equal(toHex(referenceKeccak256(utf8('abc'))), VECTORS[1]![1], 'the reference is untouched');
  } finally {
    setKeccak(referenceKeccak256);
  }
  assert.deepEqual(keccak256(utf8('abc')), fromHex(VECTORS[1]![1]));
  assert.deepEqual(calls, [3], 'the fake is no longer called');
});
