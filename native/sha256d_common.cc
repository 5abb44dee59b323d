// Scalar helpers shared by every doublesha256 kernel (compiled for the baseline ISA).
#include "sha256d.h"

namespace shardminer {


static constexpr bool dyn1(int t) {
  return t == 9 ? true : t < 16 ? false : (dyn1(t - 2) || dyn1(t - 7) || dyn1(t - 15) || dyn1(t - 16));
}
#define D4(t) dyn1(t), dyn1(t + 1), dyn1(t + 2), dyn1(t + 3)
#define D16(t) D4(t), D4(t + 4), D4(t + 8), D4(t + 12)
const bool DYN1[64] = {D16(0), D16(16), D16(32), D16(48)};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static inline uint32_t s0(uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
static inline uint32_t s1(uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }
static inline uint32_t S0(uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
static inline uint32_t S1(uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }

static void rounds(uint32_t* st, const uint32_t* w, int from, int to) {
  uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (int t = from; t < to; t++) {
    uint32_t t1 = h + S1(e) + (g ^ (e & (f ^ g))) + K256[t] + w[t];
    uint32_t t2 = S0(a) + ((a & b) | (c & (a | b)));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  st[0] = a; st[1] = b; st[2] = c; st[3] = d; st[4] = e; st[5] = f; st[6] = g; st[7] = h;
}

static void block(uint32_t* st, uint32_t* w) {
  for (int t = 16; t < 64; t++) w[t] = s1(w[t - 2]) + w[t - 7] + s0(w[t - 15]) + w[t - 16];
  uint32_t s[8];
  for (int i = 0; i < 8; i++) s[i] = st[i];
  rounds(s, w, 0, 64);
  for (int i = 0; i < 8; i++) st[i] += s[i];
}

void precompute_block1(const uint32_t seal[8], uint32_t hi, Block1Pre& pre) {
  uint32_t w[64] = {0};
  for (int i = 0; i < 8; i++) w[i] = seal[i];
  w[8] = hi; w[9] = 0; w[10] = 0x80000000u; w[15] = 320;
  for (int i = 0; i < 8; i++) pre.mid[i] = IV256[i];
  rounds(pre.mid, w, 0, 9);
  for (int t = 0; t < 64; t++) {
    pre.c[t] = 0;
    if (t >= 16) {
      const int src[4] = {t - 2, t - 7, t - 15, t - 16};
      uint32_t c = 0;
      if (!DYN1[src[0]]) c += s1(w[src[0]]);
      if (!DYN1[src[1]]) c += w[src[1]];
      if (!DYN1[src[2]]) c += s0(w[src[2]]);
      if (!DYN1[src[3]]) c += w[src[3]];
      pre.c[t] = c;
      w[t] = DYN1[t] ? 0 : c;
    }
    pre.w[t] = w[t];
    pre.kw[t] = K256[t] + w[t];
  }
}

bool digest_le_target(const uint32_t* digest, const Sha256dJob& job) {
  if (job.never) return false;
  for (int i = 0; i < 8; i++) {
    if (digest[i] != job.target[i]) return digest[i] < job.target[i];
  }
  return true;
}

void sha256d_scalar_one(const uint32_t seal[8], uint64_t nonce, uint32_t* digest) {
  uint32_t w[64] = {0};
  for (int i = 0; i < 8; i++) w[i] = seal[i];
  w[8] = uint32_t(nonce >> 32); w[9] = uint32_t(nonce); w[10] = 0x80000000u; w[15] = 320;
  uint32_t st[8];
  for (int i = 0; i < 8; i++) st[i] = IV256[i];
  block(st, w);
  uint32_t w2[64] = {0};
  for (int i = 0; i < 8; i++) w2[i] = st[i];
  w2[8] = 0x80000000u; w2[15] = 256;
  for (int i = 0; i < 8; i++) digest[i] = IV256[i];
  block(digest, w2);
}

}  // namespace shardminer
