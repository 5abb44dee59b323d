// 16-lane AVX-512 build of the lane kernel (compiled with -mavx512f).
#include "sha256d_lanes.h"
namespace shardminer {
typedef uint32_t v16u __attribute__((vector_size(64)));
int64_t search_avx512(const Sha256dJob& job, uint64_t start, uint32_t count, uint32_t* digest) {
  return lanes::search<v16u, 16>(job, start, count, digest);
}
}  // namespace shardminer
