// Multi-lane doublesha256 search, generic over a GCC vector type V of N u32 lanes. Included by
// one translation unit per ISA (compiled with -mavx512f, -mavx2, or the baseline), so the same
// source becomes AVX-512 (16 lanes, vprord), AVX2 (8 lanes) or SSE2 (4 lanes) code.
// Lane i hashes nonce low word lo + i; rounds are fully unrolled so the state "rotation" is free.
#pragma once
#include "sha256d.h"

namespace shardminer {
namespace lanes {

// Block-2 words: W0..W7 are the first digest (dynamic), W8..W15 padding literals.
static constexpr uint32_t rotr_c(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
static constexpr uint32_t s0_c(uint32_t x) { return rotr_c(x, 7) ^ rotr_c(x, 18) ^ (x >> 3); }
static constexpr uint32_t s1_c(uint32_t x) { return rotr_c(x, 17) ^ rotr_c(x, 19) ^ (x >> 10); }
static constexpr bool dyn2(int t) { return t < 8 ? true : t < 16 ? false : true; }
static constexpr uint32_t lit2(int t) { return t == 8 ? 0x80000000u : t == 15 ? 256u : 0u; }
// Constant addend of block-2 word t (t >= 16): the literal terms of its recurrence.
static constexpr uint32_t c2(int t) {
  return (t - 2 >= 8 && t - 2 < 16 ? s1_c(lit2(t - 2)) : 0) + (t - 7 >= 8 && t - 7 < 16 ? lit2(t - 7) : 0) +
         (t - 15 >= 8 && t - 15 < 16 ? s0_c(lit2(t - 15)) : 0) + (t - 16 >= 8 && t - 16 < 16 ? lit2(t - 16) : 0);
}

  // Tables visible to the compiler as constants (so the unrolled branches fold away).
static constexpr bool dyn1c(int t) {
    return t == 9 ? true : t < 16 ? false : (dyn1c(t - 2) || dyn1c(t - 7) || dyn1c(t - 15) || dyn1c(t - 16));
  }
static constexpr bool DYN1_C[64] = {
#define SM_D(t) dyn1c(t)
#define SM_D4(t) SM_D(t), SM_D(t + 1), SM_D(t + 2), SM_D(t + 3)
#define SM_D16(t) SM_D4(t), SM_D4(t + 4), SM_D4(t + 8), SM_D4(t + 12)
      SM_D16(0), SM_D16(16), SM_D16(32), SM_D16(48)
#undef SM_D16
#undef SM_D4
#undef SM_D
  };

template <typename V>
struct Sha {
  static inline V splat(uint32_t x) { return V{} + x; }
  static inline V rotr(V x, int n) { return (x >> n) | (x << (32 - n)); }
  static inline V s0(V x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
  static inline V s1(V x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }
  static inline V S0(V x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
  static inline V S1(V x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }

  // One batch of N nonces (low words lo + iota). Leaves the final state (+IV) in out[8].
  static inline __attribute__((always_inline)) void batch(const Block1Pre& pre, V lo, V* out) {
    V w[64];
#pragma GCC unroll 16
    for (int t = 0; t < 16; t++) w[t] = splat(pre.w[t]);
    w[9] = lo;
#pragma GCC unroll 48
    for (int t = 16; t < 64; t++) {
      if (!DYN1_C[t]) { w[t] = splat(pre.w[t]); continue; }
      V x = splat(pre.c[t]);
      if (DYN1_C[t - 2]) x += s1(w[t - 2]);
      if (DYN1_C[t - 7]) x += w[t - 7];
      if (DYN1_C[t - 15]) x += s0(w[t - 15]);
      if (DYN1_C[t - 16]) x += w[t - 16];
      w[t] = x;
    }
    V a = splat(pre.mid[0]), b = splat(pre.mid[1]), c = splat(pre.mid[2]), d = splat(pre.mid[3]);
    V e = splat(pre.mid[4]), f = splat(pre.mid[5]), g = splat(pre.mid[6]), h = splat(pre.mid[7]);
#pragma GCC unroll 55
    for (int t = 9; t < 64; t++) {
      V kw = DYN1_C[t] ? w[t] + K256[t] : splat(pre.kw[t]);
      V t1 = h + S1(e) + (g ^ (e & (f ^ g))) + kw;
      V t2 = S0(a) + ((a & b) | (c & (a | b)));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    V m[64];
    m[0] = a + IV256[0]; m[1] = b + IV256[1]; m[2] = c + IV256[2]; m[3] = d + IV256[3];
    m[4] = e + IV256[4]; m[5] = f + IV256[5]; m[6] = g + IV256[6]; m[7] = h + IV256[7];
#pragma GCC unroll 48
    for (int t = 16; t < 64; t++) {
      V x = splat(c2(t));
      if (dyn2(t - 2)) x += s1(m[t - 2]);
      if (dyn2(t - 7)) x += m[t - 7];
      if (dyn2(t - 15)) x += s0(m[t - 15]);
      if (dyn2(t - 16)) x += m[t - 16];
      m[t] = x;
    }
    a = splat(IV256[0]); b = splat(IV256[1]); c = splat(IV256[2]); d = splat(IV256[3]);
    e = splat(IV256[4]); f = splat(IV256[5]); g = splat(IV256[6]); h = splat(IV256[7]);
#pragma GCC unroll 64
    for (int t = 0; t < 64; t++) {
      V kw = dyn2(t) ? m[t] + K256[t] : splat(K256[t] + lit2(t));
      V t1 = h + S1(e) + (g ^ (e & (f ^ g))) + kw;
      V t2 = S0(a) + ((a & b) | (c & (a | b)));
      h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    out[0] = a + IV256[0]; out[1] = b + IV256[1]; out[2] = c + IV256[2]; out[3] = d + IV256[3];
    out[4] = e + IV256[4]; out[5] = f + IV256[5]; out[6] = g + IV256[6]; out[7] = h + IV256[7];
  }

};

// The search loop shared by every lane width.
template <typename V, int N>
int64_t search(const Sha256dJob& job, uint64_t start, uint32_t count, uint32_t* digest) {
  typedef Sha<V> S;
  V iota;
  for (int i = 0; i < N; i++) iota[i] = uint32_t(i);
  const V t0 = S::splat(job.target[0]);
  Block1Pre pre;
  uint64_t done = 0;
  uint32_t hi = uint32_t(start >> 32), lo = uint32_t(start);
  while (done < count) {
    // A segment keeps the nonce high word fixed: at most 2^32 - lo nonces.
    const uint64_t seg = (uint64_t(1) << 32) - lo;
    const uint64_t n = (count - done) < seg ? (count - done) : seg;
    precompute_block1(job.seal, hi, pre);
    for (uint64_t i = 0; i < n; i += N) {
      V out[8];
      S::batch(pre, S::splat(uint32_t(lo + i)) + iota, out);
      auto m = out[0] <= t0;
      uint32_t any = 0;
      for (int l = 0; l < N; l++) any |= uint32_t(m[l]);
      if (!any || job.never) continue;
      for (int l = 0; l < N && i + l < n; l++) {
        if (!m[l]) continue;
        uint32_t d[8];
        for (int k = 0; k < 8; k++) d[k] = out[k][l];
        if (digest_le_target(d, job)) {
          for (int k = 0; k < 8; k++) digest[k] = d[k];
          return int64_t(done + i + l);
        }
      }
    }
    done += n;
    lo = 0;
    hi += 1;
  }
  return -1;
}

}  // namespace lanes
}  // namespace shardminer
