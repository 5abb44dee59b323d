// Keccak-f[1600] (FIPS 202 permutation) with the original Keccak padding.
#include "keccak.h"
#include <cstring>

namespace shardminer {
namespace {

const uint64_t RC[24] = {
  0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
  0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
  0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
  0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
  0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
  0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};
// Rotation offsets and lane order of the combined rho+pi step, starting from lane 1.
const int ROTC[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
const int PILN[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

inline uint64_t rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

void keccakf(uint64_t st[25]) {
  uint64_t bc[5];
  for (int r = 0; r < 24; r++) {
    for (int i = 0; i < 5; i++) bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
    for (int i = 0; i < 5; i++) {
      uint64_t t = bc[(i + 4) % 5] ^ rotl(bc[(i + 1) % 5], 1);
      for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
    }
    uint64_t t = st[1];
    for (int i = 0; i < 24; i++) {
      int j = PILN[i];
      uint64_t tmp = st[j];
      st[j] = rotl(t, ROTC[i]);
      t = tmp;
    }
    for (int j = 0; j < 25; j += 5) {
      for (int i = 0; i < 5; i++) bc[i] = st[j + i];
      for (int i = 0; i < 5; i++) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
    }
    st[0] ^= RC[r];
  }
}

void absorb(uint64_t st[25], const uint8_t* block, size_t n) {
  for (size_t i = 0; i < n; i++) st[i / 8] ^= uint64_t(block[i]) << (8 * (i % 8));
}

}  // namespace

void keccak(size_t rate, const uint8_t* in, size_t len, uint8_t* out, size_t outlen) {
  uint64_t st[25] = {0};
  while (len >= rate) {
    absorb(st, in, rate);
    keccakf(st);
    in += rate;
    len -= rate;
  }
  uint8_t last[200] = {0};
  std::memcpy(last, in, len);
  last[len] ^= 0x01;
  last[rate - 1] ^= 0x80;
  absorb(st, last, rate);
  keccakf(st);
  for (size_t i = 0; i < outlen; i++) out[i] = uint8_t(st[i / 8] >> (8 * (i % 8)));
}

}  // namespace shardminer
