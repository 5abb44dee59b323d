import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { merkleRoot } from '../../../src/core/merkle.js';

/**
 * An independent statement of QuarkChain's rule: padding each odd level with z_k (z_0 = zero,
 * z_{k+1} = keccak(z_k ‖ z_k)) is the same as a complete binary tree over the leaves padded
 * with zero leaves to the next power of two, because an all-padding subtree of height k hashes
 * to z_k. Computed recursively here, then suffixed with the leaf count.
 */
function expectedRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const zero = new Uint8Array(32);
  let width = 1;
  while (width < leaves.length) width *= 2;
  const node = (lo: number, size: number): Uint8Array => {
    if (size === 1) return leaves[lo] ?? zero;
    const half = size / 2;
    return keccak_256(Buffer.concat([node(lo, half), node(lo + half, half)]));
  };
  const count = Buffer.alloc(8);
  count.writeBigUInt64BE(BigInt(leaves.length));
  return keccak_256(Buffer.concat([node(0, width), count]));
}

const leaf = (i: number): Uint8Array => keccak_256(Uint8Array.of(i));

test('merkle: matches an independent recursive computation for 0, 1, 2, 3, 5, 8 (and 6, 7, 9, 16, 17) leaves', () => {
  for (const n of [0, 1, 2, 3, 5, 8, 6, 7, 9, 16, 17]) {
    const leaves = Array.from({ length: n }, (_, i) => leaf(i));
    assert.deepEqual(merkleRoot(leaves), expectedRoot(leaves), `${n} leaves`);
  }
});

test('merkle: small cases written out by hand', () => {
  const zero = new Uint8Array(32);
  const u64 = (n: number): Uint8Array => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; };
  const h = (...parts: Uint8Array[]): Uint8Array => keccak_256(Buffer.concat(parts));
  const [a, b, c] = [leaf(1), leaf(2), leaf(3)];
  assert.deepEqual(merkleRoot([]), h(zero, u64(0)), 'empty list: one zero leaf, count 0');
  assert.deepEqual(merkleRoot([a]), h(a, u64(1)));
  assert.deepEqual(merkleRoot([a, b]), h(h(a, b), u64(2)));
  assert.deepEqual(merkleRoot([a, b, c]), h(h(h(a, b), h(c, zero)), u64(3)));
  const z1 = h(zero, zero);
  const five = [a, b, c, leaf(4), leaf(5)];
  const l1 = [h(a, b), h(c, five[3]!), h(five[4]!, zero)];
  assert.deepEqual(merkleRoot(five), h(h(h(l1[0]!, l1[1]!), h(l1[2]!, z1)), u64(5)), 'level 1 pads with keccak(0 ‖ 0)');
});

test('merkle: the count suffix separates lists that differ only by trailing zero leaves', () => {
  const zero = new Uint8Array(32);
  const three = [leaf(1), leaf(2), leaf(3)];
  assert.notDeepEqual(merkleRoot(three), merkleRoot([...three, zero]));
  assert.notDeepEqual(merkleRoot([]), merkleRoot([zero]));
});

test('merkle: order matters and the input is not modified', () => {
  const leaves = [leaf(1), leaf(2), leaf(3)];
  const copy = leaves.map((l) => l.slice());
  assert.notDeepEqual(merkleRoot(leaves), merkleRoot([leaves[1]!, leaves[0]!, leaves[2]!]));
  assert.equal(leaves.length, 3, 'odd-level padding did not push onto the caller\'s array');
  assert.deepEqual(leaves, copy);
});
