// Original Keccak (pre-SHA-3 padding 0x01), as QuarkChain's sha3_256 / sha3_512.
#pragma once
#include <cstddef>
#include <cstdint>

namespace shardminer {
void keccak(size_t rate, const uint8_t* in, size_t len, uint8_t* out, size_t outlen);
inline void keccak256(const uint8_t* in, size_t len, uint8_t* out) { keccak(136, in, len, out, 32); }
inline void keccak512(const uint8_t* in, size_t len, uint8_t* out) { keccak(72, in, len, out, 64); }
}  // namespace shardminer
