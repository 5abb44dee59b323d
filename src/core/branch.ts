/**
 * QuarkChain identities (DESIGN §3, chain_rules §1.2):
 * full shard id = (chainId << 16) | shardSize | shardId, shardSize a power of two, shardId < shardSize.
 * A full shard key (in addresses) maps to the id of the shard with the same chain and
 * `key & (shardSize - 1)`.
 */
import { invalid } from './errors.js';

export interface Branch {
  readonly chainId: number;
  readonly shardSize: number;
  readonly shardId: number;
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function fullShardId(chainId: number, shardSize: number, shardId: number): number {
  if (!isPowerOfTwo(shardSize) || shardSize > 0x8000) throw invalid('BAD_BRANCH', `shard size ${shardSize} is not a power of two ≤ 32768`);
  if (!Number.isInteger(shardId) || shardId < 0 || shardId >= shardSize) throw invalid('BAD_BRANCH', `shard id ${shardId} not below ${shardSize}`);
  if (!Number.isInteger(chainId) || chainId < 0 || chainId > 0xffff) throw invalid('BAD_BRANCH', `chain id ${chainId} out of range`);
  return ((chainId << 16) | shardSize | shardId) >>> 0;
}

/** Decodes a full shard id; throws BAD_BRANCH when it is not a valid one. */
export function parseBranch(id: number): Branch {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw invalid('BAD_BRANCH', `not a u32: ${id}`);
  const low = id & 0xffff;
  if (low === 0) throw invalid('BAD_BRANCH', `full shard id ${hexId(id)} has no shard size bit`);
  const shardSize = 1 << (31 - Math.clz32(low));
  return { chainId: id >>> 16, shardSize, shardId: low ^ shardSize };
}

export function chainIdOf(id: number): number {
  return id >>> 16;
}

/** The full shard id that a full shard key maps to, given the key's chain's shard size. */
export function keyToFullShardId(key: number, shardSizeOfChain: (chainId: number) => number | undefined): number {
  const chainId = key >>> 16;
  const size = shardSizeOfChain(chainId);
  if (size === undefined) throw invalid('UNKNOWN_CHAIN', `full shard key ${hexId(key)} names chain ${chainId}, which does not exist`);
  return (((chainId << 16) | size | (key & (size - 1))) >>> 0);
}

/** The smallest full shard key of a shard: chain << 16 | shardId. */
export function defaultKeyOf(id: number): number {
  const b = parseBranch(id);
  return ((b.chainId << 16) | b.shardId) >>> 0;
}

export function hexId(id: number): string {
  return '0x' + (id >>> 0).toString(16);
}
