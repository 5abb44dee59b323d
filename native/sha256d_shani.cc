// SHA-NI doublesha256 kernel (compiled with -msha -msse4.1): S independent nonces interleaved
// step by step so sha256rnds2's latency is hidden. State is kept as ABEF / CDGH as the SHA
// extensions expect. Block 1 starts after rounds 0..7 (which read only the seal hash) and after
// the first sha256msg1 (also nonce-independent), both computed once per job and nonce-high word.
#include <immintrin.h>
#include "sha256d.h"

namespace shardminer {
namespace {

constexpr int STREAMS = 4;

struct ShaniPre {
  __m128i abef, cdgh;  // state after rounds 0..7 of block 1
  __m128i m0;          // sha256msg1(W0..3, W4..7)
  __m128i m1;          // W4..7
  __m128i m2;          // W8..11 with W9 = 0 (the nonce low word is inserted per nonce)
  __m128i m3;          // W12..15
};

inline __m128i kvec(int g) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(K256 + 4 * g)); }

// Groups [g0, 16) of 4 rounds over S streams, message words m[s][0..3] (rotating by g & 3).
template <int S>
inline __attribute__((always_inline)) void groups(__m128i (&st0)[S], __m128i (&st1)[S], __m128i (&m)[S][4], int g0) {
#pragma GCC unroll 16
  for (int g = g0; g < 16; g++) {
    const __m128i k = kvec(g);
    __m128i msg[S];
#pragma GCC unroll 4
    for (int s = 0; s < S; s++) {
      msg[s] = _mm_add_epi32(m[s][g & 3], k);
      st1[s] = _mm_sha256rnds2_epu32(st1[s], st0[s], msg[s]);
    }
    if (g >= 3 && g < 15) {
#pragma GCC unroll 4
      for (int s = 0; s < S; s++) {
        __m128i tmp = _mm_alignr_epi8(m[s][g & 3], m[s][(g - 1) & 3], 4);
        m[s][(g + 1) & 3] = _mm_add_epi32(m[s][(g + 1) & 3], tmp);
        m[s][(g + 1) & 3] = _mm_sha256msg2_epu32(m[s][(g + 1) & 3], m[s][g & 3]);
      }
    }
#pragma GCC unroll 4
    for (int s = 0; s < S; s++) {
      msg[s] = _mm_shuffle_epi32(msg[s], 0x0E);
      st0[s] = _mm_sha256rnds2_epu32(st0[s], st1[s], msg[s]);
    }
    if (g >= 1 && g < 13) {
#pragma GCC unroll 4
      for (int s = 0; s < S; s++) m[s][(g - 1) & 3] = _mm_sha256msg1_epu32(m[s][(g - 1) & 3], m[s][g & 3]);
    }
  }
}

inline __m128i words(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) { return _mm_set_epi32(int(w3), int(w2), int(w1), int(w0)); }

void prepare(const uint32_t seal[8], uint32_t hi, ShaniPre& p) {
  __m128i st0[1] = {_mm_set_epi32(int(IV256[0]), int(IV256[1]), int(IV256[4]), int(IV256[5]))};
  __m128i st1[1] = {_mm_set_epi32(int(IV256[2]), int(IV256[3]), int(IV256[6]), int(IV256[7]))};
  __m128i m0 = words(seal[0], seal[1], seal[2], seal[3]);
  __m128i m1 = words(seal[4], seal[5], seal[6], seal[7]);
  // Rounds 0..7 (groups 0 and 1) by hand, with the msg1 of group 1.
  __m128i msg = _mm_add_epi32(m0, kvec(0));
  st1[0] = _mm_sha256rnds2_epu32(st1[0], st0[0], msg);
  st0[0] = _mm_sha256rnds2_epu32(st0[0], st1[0], _mm_shuffle_epi32(msg, 0x0E));
  msg = _mm_add_epi32(m1, kvec(1));
  st1[0] = _mm_sha256rnds2_epu32(st1[0], st0[0], msg);
  st0[0] = _mm_sha256rnds2_epu32(st0[0], st1[0], _mm_shuffle_epi32(msg, 0x0E));
  p.abef = st0[0];
  p.cdgh = st1[0];
  p.m0 = _mm_sha256msg1_epu32(m0, m1);
  p.m1 = m1;
  p.m2 = words(hi, 0, 0x80000000u, 0);
  p.m3 = words(0, 0, 0, 320);
}

template <int S>
inline __attribute__((always_inline)) void hash_streams(const ShaniPre& p, uint32_t lo, __m128i (&abef)[S], __m128i (&cdgh)[S]) {
  static const __m128i IV0 = _mm_set_epi32(int(IV256[0]), int(IV256[1]), int(IV256[4]), int(IV256[5]));
  static const __m128i IV1 = _mm_set_epi32(int(IV256[2]), int(IV256[3]), int(IV256[6]), int(IV256[7]));
  __m128i st0[S], st1[S], m[S][4];
  for (int s = 0; s < S; s++) {
    st0[s] = p.abef; st1[s] = p.cdgh;
    m[s][0] = p.m0; m[s][1] = p.m1; m[s][2] = _mm_insert_epi32(p.m2, int(lo + uint32_t(s)), 1); m[s][3] = p.m3;
  }
  groups<S>(st0, st1, m, 2);
  for (int s = 0; s < S; s++) {
    st0[s] = _mm_add_epi32(st0[s], IV0);
    st1[s] = _mm_add_epi32(st1[s], IV1);
    // ABEF / CDGH -> message words A B C D, E F G H.
    __m128i t0 = _mm_shuffle_epi32(st0[s], 0x1B), t1 = _mm_shuffle_epi32(st1[s], 0x1B);
    m[s][0] = _mm_unpacklo_epi64(t0, t1);
    m[s][1] = _mm_unpackhi_epi64(t0, t1);
    m[s][2] = words(0x80000000u, 0, 0, 0);
    m[s][3] = words(0, 0, 0, 256);
    st0[s] = IV0; st1[s] = IV1;
  }
  groups<S>(st0, st1, m, 0);
  for (int s = 0; s < S; s++) {
    abef[s] = _mm_add_epi32(st0[s], IV0);
    cdgh[s] = _mm_add_epi32(st1[s], IV1);
  }
}

void unpack(__m128i abef, __m128i cdgh, uint32_t* d) {
  d[0] = uint32_t(_mm_extract_epi32(abef, 3)); d[1] = uint32_t(_mm_extract_epi32(abef, 2));
  d[2] = uint32_t(_mm_extract_epi32(cdgh, 3)); d[3] = uint32_t(_mm_extract_epi32(cdgh, 2));
  d[4] = uint32_t(_mm_extract_epi32(abef, 1)); d[5] = uint32_t(_mm_extract_epi32(abef, 0));
  d[6] = uint32_t(_mm_extract_epi32(cdgh, 1)); d[7] = uint32_t(_mm_extract_epi32(cdgh, 0));
}

}  // namespace

int64_t search_shani(const Sha256dJob& job, uint64_t start, uint32_t count, uint32_t* digest) {
  ShaniPre pre;
  uint64_t done = 0;
  uint32_t hi = uint32_t(start >> 32), lo = uint32_t(start);
  const uint32_t t0 = job.target[0];
  while (done < count) {
    const uint64_t seg = (uint64_t(1) << 32) - lo;
    const uint64_t n = (count - done) < seg ? (count - done) : seg;
    prepare(job.seal, hi, pre);
    for (uint64_t i = 0; i < n; i += STREAMS) {
      __m128i abef[STREAMS], cdgh[STREAMS];
      hash_streams<STREAMS>(pre, uint32_t(lo + i), abef, cdgh);
      for (int s = 0; s < STREAMS && i + s < n; s++) {
        if (uint32_t(_mm_extract_epi32(abef[s], 3)) > t0 || job.never) continue;
        uint32_t d[8];
        unpack(abef[s], cdgh[s], d);
        if (digest_le_target(d, job)) {
          for (int k = 0; k < 8; k++) digest[k] = d[k];
          return int64_t(done + i + s);
        }
      }
    }
    done += n;
    lo = 0;
    hi += 1;
  }
  return -1;
}

}  // namespace shardminer
