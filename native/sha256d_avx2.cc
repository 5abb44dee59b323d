// 8-lane AVX2 build of the lane kernel (compiled with -mavx2).
#include "sha256d_lanes.h"
namespace shardminer {
typedef uint32_t v8u __attribute__((vector_size(32)));
int64_t search_avx2(const Sha256dJob& job, uint64_t start, uint32_t count, uint32_t* digest) {
  return lanes::search<v8u, 8>(job, start, count, digest);
}
}  // namespace shardminer
