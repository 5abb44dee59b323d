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

inline uint64_t rotl(uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }  // 0 < n < 64

// Keccak-f[1600], fully unrolled over lanes a[x + 5y] held in locals (generated from the
// FIPS 202 step definitions; ~2× the speed of the loop form, which spills its tables).
void keccakf(uint64_t st[25]) {
  uint64_t a0 = st[0]; uint64_t a1 = st[1]; uint64_t a2 = st[2]; uint64_t a3 = st[3]; uint64_t a4 = st[4]; uint64_t a5 = st[5]; uint64_t a6 = st[6]; uint64_t a7 = st[7]; uint64_t a8 = st[8]; uint64_t a9 = st[9]; uint64_t a10 = st[10]; uint64_t a11 = st[11]; uint64_t a12 = st[12]; uint64_t a13 = st[13]; uint64_t a14 = st[14]; uint64_t a15 = st[15]; uint64_t a16 = st[16]; uint64_t a17 = st[17]; uint64_t a18 = st[18]; uint64_t a19 = st[19]; uint64_t a20 = st[20]; uint64_t a21 = st[21]; uint64_t a22 = st[22]; uint64_t a23 = st[23]; uint64_t a24 = st[24];
  for (int r = 0; r < 24; r++) {
    const uint64_t c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20;
    const uint64_t c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    const uint64_t c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22;
    const uint64_t c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    const uint64_t c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    const uint64_t d0 = c4 ^ rotl(c1, 1);
    const uint64_t d1 = c0 ^ rotl(c2, 1);
    const uint64_t d2 = c1 ^ rotl(c3, 1);
    const uint64_t d3 = c2 ^ rotl(c4, 1);
    const uint64_t d4 = c3 ^ rotl(c0, 1);
    const uint64_t b0 = (a0 ^ d0);
    const uint64_t b1 = rotl(a6 ^ d1, 44);
    const uint64_t b2 = rotl(a12 ^ d2, 43);
    const uint64_t b3 = rotl(a18 ^ d3, 21);
    const uint64_t b4 = rotl(a24 ^ d4, 14);
    const uint64_t b5 = rotl(a3 ^ d3, 28);
    const uint64_t b6 = rotl(a9 ^ d4, 20);
    const uint64_t b7 = rotl(a10 ^ d0, 3);
    const uint64_t b8 = rotl(a16 ^ d1, 45);
    const uint64_t b9 = rotl(a22 ^ d2, 61);
    const uint64_t b10 = rotl(a1 ^ d1, 1);
    const uint64_t b11 = rotl(a7 ^ d2, 6);
    const uint64_t b12 = rotl(a13 ^ d3, 25);
    const uint64_t b13 = rotl(a19 ^ d4, 8);
    const uint64_t b14 = rotl(a20 ^ d0, 18);
    const uint64_t b15 = rotl(a4 ^ d4, 27);
    const uint64_t b16 = rotl(a5 ^ d0, 36);
    const uint64_t b17 = rotl(a11 ^ d1, 10);
    const uint64_t b18 = rotl(a17 ^ d2, 15);
    const uint64_t b19 = rotl(a23 ^ d3, 56);
    const uint64_t b20 = rotl(a2 ^ d2, 62);
    const uint64_t b21 = rotl(a8 ^ d3, 55);
    const uint64_t b22 = rotl(a14 ^ d4, 39);
    const uint64_t b23 = rotl(a15 ^ d0, 41);
    const uint64_t b24 = rotl(a21 ^ d1, 2);
    a0 = b0 ^ (~b1 & b2);
    a1 = b1 ^ (~b2 & b3);
    a2 = b2 ^ (~b3 & b4);
    a3 = b3 ^ (~b4 & b0);
    a4 = b4 ^ (~b0 & b1);
    a5 = b5 ^ (~b6 & b7);
    a6 = b6 ^ (~b7 & b8);
    a7 = b7 ^ (~b8 & b9);
    a8 = b8 ^ (~b9 & b5);
    a9 = b9 ^ (~b5 & b6);
    a10 = b10 ^ (~b11 & b12);
    a11 = b11 ^ (~b12 & b13);
    a12 = b12 ^ (~b13 & b14);
    a13 = b13 ^ (~b14 & b10);
    a14 = b14 ^ (~b10 & b11);
    a15 = b15 ^ (~b16 & b17);
    a16 = b16 ^ (~b17 & b18);
    a17 = b17 ^ (~b18 & b19);
    a18 = b18 ^ (~b19 & b15);
    a19 = b19 ^ (~b15 & b16);
    a20 = b20 ^ (~b21 & b22);
    a21 = b21 ^ (~b22 & b23);
    a22 = b22 ^ (~b23 & b24);
    a23 = b23 ^ (~b24 & b20);
    a24 = b24 ^ (~b20 & b21);
    a0 ^= RC[r];
  }
  st[0] = a0; st[1] = a1; st[2] = a2; st[3] = a3; st[4] = a4; st[5] = a5; st[6] = a6; st[7] = a7; st[8] = a8; st[9] = a9; st[10] = a10; st[11] = a11; st[12] = a12; st[13] = a13; st[14] = a14; st[15] = a15; st[16] = a16; st[17] = a17; st[18] = a18; st[19] = a19; st[20] = a20; st[21] = a21; st[22] = a22; st[23] = a23; st[24] = a24;
}

void absorb(uint64_t st[25], const uint8_t* block, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, block + i, 8);  // little-endian lanes (x86-64, the addon's only target)
    st[i / 8] ^= w;
  }
  for (; i < n; i++) st[i / 8] ^= uint64_t(block[i]) << (8 * (i % 8));
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
