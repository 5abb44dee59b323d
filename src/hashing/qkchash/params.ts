/**
 * QKCHash parameters (QuarkChain POW_QKCHASH, plain, not QKCHashX), as in pyquarkchain's
 * qkchash/ and goquarkchain's consensus/qkchash.
 */
/** Cache entries: 64 Ki u64 words, generated from 8 Ki Keccak-512 outputs of 8 words each. */
export const QKC_CACHE_ENTRIES = 65536;
export const QKC_WORDS_PER_KECCAK512 = 8;
/** Blocks per epoch: the cache seed changes every 30,000 blocks, as Ethash. */
export const QKC_EPOCH_LENGTH = 30000;
/** Access rounds; each round removes and inserts QKC_MIX_WORDS entries of the ordered set. */
export const QKC_ACCESS_ROUNDS = 64;
/** The mix is 128 bytes: 16 u64 words (the 8-word seed twice). */
export const QKC_MIX_WORDS = 16;
/** The digest (mixhash) is the mix compressed 4:1 to 4 u64 words, 32 bytes little-endian. */
export const QKC_DIGEST_WORDS = 4;
/** 64-bit FNV prime (2^40 + 0x1b3) used by QuarkChain's fnv64(a, b) = a·prime ⊕ b mod 2^64. */
export const FNV64_PRIME = 0x100000001b3n;
export const FNV64_PRIME_LOW = 0x1b3;
export const U64_MASK = (1n << 64n) - 1n;

export function fnv64(a: bigint, b: bigint): bigint {
  return ((a * FNV64_PRIME) & U64_MASK) ^ b;
}

/** The epoch of a block height: ⌊height / 30000⌋. */
export function qkchashEpoch(height: number): number {
  return Math.floor(height / QKC_EPOCH_LENGTH);
}
