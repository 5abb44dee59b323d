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

extern const uint32_t K256[64];
extern const uint32_t IV256[8];
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
