// 4-lane baseline build of the lane kernel (SSE2 on x86-64, NEON/scalar elsewhere).
#include "sha256d_lanes.h"
namespace shardminer {
typedef uint32_t v4u __attribute__((vector_size(16)));
int64_t search_generic(const Sha256dJob& job, uint64_t start, uint32_t count, uint32_t* digest) {
  return lanes::search<v4u, 4>(job, start, count, digest);
}
}  // namespace shardminer
