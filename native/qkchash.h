// QKCHash (QuarkChain POW_QKCHASH, plain): per-thread state over one epoch cache.
#pragma once
#include <cstddef>
#include <cstdint>

namespace shardminer {
struct QkcState;
QkcState* qkc_create(const uint64_t* sorted, size_t n);
void qkc_destroy(QkcState* st);
// The 4-word digest for the 8-word seed s (keccak512 of seal || nonce LE, as LE words).
void qkc_mix(QkcState* st, const uint64_t s[8], uint64_t out[4]);
// Hashes (seal, nonce) into mix[32] (the mixhash) and result[32].
void qkc_hash(QkcState* st, const uint8_t seal[32], uint64_t nonce, uint8_t mix[32], uint8_t result[32]);
// First nonce in start .. start + count - 1 (mod 2^64) whose result <= target (big-endian):
// returns its index and leaves its mix/result in the outputs; -1 if none.
int64_t qkc_search(QkcState* st, const uint8_t seal[32], const uint8_t target[32], bool never, uint64_t start,
                   uint32_t count, uint8_t mix[32], uint8_t result[32]);
}  // namespace shardminer
