// doublesha256 search kernels: common job layout, per-job precomputation, kernel table.
// The seal message is sealHash (32 bytes) || nonce (u64 big-endian): one SHA-256 block with
// W0..W7 = seal hash, W8 = nonce high, W9 = nonce low, W10 = 0x80000000, W11..W14 = 0,
// W15 = 320; the second hash is one block over the 32-byte digest.
#pragma once
#include <cstdint>

namespace shardminer {

struct Sha256dJob {
  uint32_t seal[8];    // seal hash as big-endian words
  uint32_t target[8];  // inclusive bound, big-endian words, most significant first
  bool never;          // no digest can be a hit
};

// Per job and nonce-high word: block-1 state after rounds 0..8 (which read only W0..W8), the
// constant schedule words, the constant parts of dynamic words, and K[t] + W[t] where constant.
struct Block1Pre {
  uint32_t mid[8];
  uint32_t w[64];   // W[t] if constant (DYN1[t] false)
  uint32_t c[64];   // constant addend of W[t] if dynamic
  uint32_t kw[64];  // K[t] + W[t] if constant
};

// Searches nonces start .. start + count - 1 (mod 2^64). Returns the index of the first hit
// or -1, and on a hit writes its digest (8 big-endian words) to digest.
typedef int64_t (*Sha256dSearchFn)(const Sha256dJob& job, uint64_t start, uint32_t count, uint32_t* digest);

/** SHA-256 round constants and initial state (FIPS 180-4), one copy for every kernel. */
inline constexpr uint32_t K256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};
inline constexpr uint32_t IV256[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
// DYN1[t]: block-1 word t depends on the nonce low word (W9).
extern const bool DYN1[64];

void precompute_block1(const uint32_t seal[8], uint32_t hi, Block1Pre& pre);
bool digest_le_target(const uint32_t* digest, const Sha256dJob& job);
void sha256d_scalar_one(const uint32_t seal[8], uint64_t nonce, uint32_t* digest);

int64_t search_generic(const Sha256dJob&, uint64_t, uint32_t, uint32_t*);
int64_t search_avx2(const Sha256dJob&, uint64_t, uint32_t, uint32_t*);
int64_t search_avx2x16(const Sha256dJob&, uint64_t, uint32_t, uint32_t*);
int64_t search_avx512(const Sha256dJob&, uint64_t, uint32_t, uint32_t*);
int64_t search_shani(const Sha256dJob&, uint64_t, uint32_t, uint32_t*);

}  // namespace shardminer
