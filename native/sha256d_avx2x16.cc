// 16-lane build of the lane kernel for AVX2 machines (compiled with -mavx2): each operation
// becomes two 8-lane ones, two independent chains for more instruction-level parallelism. Also
// exercises the 16-lane code path (the AVX-512 one) on CPUs without AVX-512.
#include "sha256d_lanes.h"
namespace shardminer {
typedef uint32_t v16u_avx2 __attribute__((vector_size(64)));
int64_t search_avx2x16(const Sha256dJob& job, uint64_t start, uint32_t count, uint32_t* digest) {
  return lanes::search<v16u_avx2, 16>(job, start, count, digest);
}
}  // namespace shardminer
