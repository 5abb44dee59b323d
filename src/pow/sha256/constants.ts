/**
 * SHA-256 constants (FIPS 180-4 §4.2.2, §5.3.3) and the fixed layout of the doublesha256 seal
 * message: sealHash (32 bytes) ‖ nonce (u64 BE), 40 bytes, which with SHA-256 padding fills
 * exactly one 64-byte block; the second hash is over a 32-byte digest, also one block.
 *
 * Block 1 words: W0..W7 = seal hash, W8 = nonce high, W9 = nonce low, W10 = 0x80000000
 * (padding bit), W11..W14 = 0, W15 = 320 (message bits).
 * Block 2 words: W0..W7 = first digest, W8 = 0x80000000, W9..W14 = 0, W15 = 256.
 */
export const K256: Int32Array = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export const IV256: Int32Array = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The padding word after the message: a single 1 bit. */
export const PAD_BIT_WORD = 0x80000000 | 0;
/** Message length in bits of the first hash (40 bytes) and of the second (32 bytes). */
export const MSG1_BITS = 40 * 8;
export const MSG2_BITS = 32 * 8;
/** Rounds 0..8 of block 1 read only W0..W8 (seal hash and nonce high): precomputed per job. */
export const BLOCK1_CONST_ROUNDS = 9;
