/**
 * QuarkChain's `calculate_merkle_root` (chain_rules §1.6): leaves are the items' hashes (one
 * zero leaf if the list is empty); each level is padded to even length with `z`, where z starts
 * as 32 zero bytes and becomes keccak(z ‖ z) after each level; parent = keccak(left ‖ right);
 * the result is keccak(root ‖ uint64 BE(number of items)).
 */
import { concatBytes, ZERO32, type Bytes } from './bytes.js';
import { keccak256 } from './keccak.js';

/** Scratch for a node's preimage (hashing is synchronous). */
const pair = new Uint8Array(64);

function hashPair(left: Bytes, right: Bytes): Bytes {
  pair.set(left, 0);
  pair.set(right, 32);
  return keccak256(pair);
}

export function merkleRoot(leaves: readonly Bytes[]): Bytes {
  let level: Bytes[] = leaves.length === 0 ? [ZERO32] : leaves.slice();
  let z: Bytes = ZERO32;
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(z);
    const next: Bytes[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
    level = next;
    z = hashPair(z, z);
  }
  const count = new Uint8Array(8);
  new DataView(count.buffer).setBigUint64(0, BigInt(leaves.length));
  return keccak256(concatBytes(level[0]!, count));
}
