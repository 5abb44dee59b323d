// QKCHash with an order-statistic set that is undone, not copied, between hashes.
//
// The set: 2^11 buckets by the top 11 bits of a value, each a sorted slice of one array with
// capacity = pristine count + SLACK; a Fenwick tree over bucket counts finds the p-th smallest
// value. Removals and insertions are logged and replayed backwards after each hash, so every
// hash starts from the pristine cache. A bucket overflow (needs >= SLACK net insertions into one
// bucket in one hash: ~1e-13 per bucket) falls back to a plain sorted-array computation.
#include "qkchash.h"
#include <algorithm>
#include <cstring>
#include <vector>
#include "keccak.h"

namespace shardminer {
namespace {

constexpr int BUCKET_BITS = 11;
constexpr int BUCKETS = 1 << BUCKET_BITS;
constexpr int SLACK = 12;
constexpr int ROUNDS = 64;
constexpr int MIX = 16;
constexpr int MAX_LOG = 2 * ROUNDS * MIX;
constexpr uint64_t FNV_PRIME = 0x100000001b3ULL;

inline uint64_t fnv(uint64_t a, uint64_t b) { return (a * FNV_PRIME) ^ b; }

struct LogEntry {
  int32_t bucket;
  int32_t pos;  // >= 0: a deletion at pos (value kept); < 0: an insertion at ~pos
  uint64_t value;
};

}  // namespace

struct QkcState {
  std::vector<uint64_t> pristine;  // sorted cache, for the fallback
  std::vector<uint64_t> keys;
  int32_t start[BUCKETS];
  int32_t cap[BUCKETS];
  int32_t count[BUCKETS];
  int32_t tree[BUCKETS + 1];
  int32_t pristine_tree[BUCKETS + 1];
  size_t pristine_size;
  size_t size;
  LogEntry log[MAX_LOG];
  int log_len;
  bool overflow;

  uint64_t delete_at(uint64_t idx) {
    // Fenwick descent written for conditional moves: the branches here are data-random. The
    // total (tree[BUCKETS]) always exceeds idx, so the descent starts at half the range.
    int b = 0;
    int32_t rem = int32_t(idx);
    for (int step = BUCKETS >> 1; step > 0; step >>= 1) {
      const int nxt = b + step;
      const int32_t v = tree[nxt];
      const bool take = v <= rem;
      b = take ? nxt : b;
      rem = take ? rem - v : rem;
    }
    uint64_t* base = keys.data() + start[b];
    const int c = count[b];
    const uint64_t v = base[rem];
    std::memmove(base + rem, base + rem + 1, sizeof(uint64_t) * size_t(c - 1 - rem));
    count[b] = c - 1;
    for (int x = b + 1; x <= BUCKETS; x += x & -x) tree[x]--;
    size--;
    log[log_len++] = {b, int32_t(rem), v};
    return v;
  }

  void insert(uint64_t v) {
    const int b = int(v >> (64 - BUCKET_BITS));
    uint64_t* base = keys.data() + start[b];
    const int c = count[b];
    const int pos = int(std::lower_bound(base, base + c, v) - base);
    if (pos < c && base[pos] == v) return;
    if (c == cap[b]) { overflow = true; return; }
    std::memmove(base + pos + 1, base + pos, sizeof(uint64_t) * size_t(c - pos));
    base[pos] = v;
    count[b] = c + 1;
    for (int x = b + 1; x <= BUCKETS; x += x & -x) tree[x]++;
    size++;
    log[log_len++] = {b, ~int32_t(pos), 0};
  }

  void undo() {
    for (int i = log_len - 1; i >= 0; i--) {
      const LogEntry& e = log[i];
      uint64_t* base = keys.data() + start[e.bucket];
      const int c = count[e.bucket];
      if (e.pos < 0) {
        const int pos = ~e.pos;
        std::memmove(base + pos, base + pos + 1, sizeof(uint64_t) * size_t(c - 1 - pos));
        count[e.bucket] = c - 1;
      } else {
        std::memmove(base + e.pos + 1, base + e.pos, sizeof(uint64_t) * size_t(c - e.pos));
        base[e.pos] = e.value;
        count[e.bucket] = c + 1;
      }
    }
    std::memcpy(tree, pristine_tree, sizeof tree);
    size = pristine_size;
    log_len = 0;
    overflow = false;
  }
};

QkcState* qkc_create(const uint64_t* sorted, size_t n) {
  QkcState* st = new QkcState();
  st->pristine.assign(sorted, sorted + n);
  int32_t counts[BUCKETS] = {0};
  for (size_t i = 0; i < n; i++) counts[sorted[i] >> (64 - BUCKET_BITS)]++;
  int32_t total = 0;
  for (int b = 0; b < BUCKETS; b++) {
    st->start[b] = total;
    st->cap[b] = counts[b] + SLACK;
    st->count[b] = 0;
    total += counts[b] + SLACK;
  }
  st->keys.assign(size_t(total), 0);
  for (size_t i = 0; i < n; i++) {
    const int b = int(sorted[i] >> (64 - BUCKET_BITS));
    st->keys[size_t(st->start[b] + st->count[b]++)] = sorted[i];
  }
  std::memset(st->tree, 0, sizeof st->tree);
  for (int b = 0; b < BUCKETS; b++) for (int x = b + 1; x <= BUCKETS; x += x & -x) st->tree[x] += counts[b];
  std::memcpy(st->pristine_tree, st->tree, sizeof st->tree);
  st->pristine_size = st->size = n;
  st->log_len = 0;
  st->overflow = false;
  return st;
}

void qkc_destroy(QkcState* st) { delete st; }

namespace {

// The 4-word digest over the fast set; false if a bucket overflowed (the set is restored).
bool fast_mix(QkcState* st, const uint64_t s[8], uint64_t out[4]) {
  uint64_t mix[MIX], nd[MIX];
  for (int i = 0; i < MIX; i++) mix[i] = s[i % 8];
  for (int i = 0; i < ROUNDS; i++) {
    uint64_t p = fnv(uint64_t(i) ^ s[0], mix[i % MIX]);
    for (int j = 0; j < MIX; j++) {
      const uint64_t v = st->delete_at(p % st->size);
      nd[j] = v;
      p = fnv(p, v);
      st->insert(p);
      if (st->overflow) { st->undo(); return false; }
      p = fnv(p, v);
    }
    for (int j = 0; j < MIX; j++) mix[j] = fnv(mix[j], nd[j]);
  }
  st->undo();
  for (int k = 0; k < 4; k++) out[k] = fnv(fnv(fnv(mix[4 * k], mix[4 * k + 1]), mix[4 * k + 2]), mix[4 * k + 3]);
  return true;
}

// The same over a plain sorted vector (rarely used fallback).
void slow_mix(const std::vector<uint64_t>& cache, const uint64_t s[8], uint64_t out[4]) {
  std::vector<uint64_t> set(cache);
  uint64_t mix[MIX], nd[MIX];
  for (int i = 0; i < MIX; i++) mix[i] = s[i % 8];
  for (int i = 0; i < ROUNDS; i++) {
    uint64_t p = fnv(uint64_t(i) ^ s[0], mix[i % MIX]);
    for (int j = 0; j < MIX; j++) {
      const size_t idx = size_t(p % set.size());
      const uint64_t v = set[idx];
      set.erase(set.begin() + long(idx));
      nd[j] = v;
      p = fnv(p, v);
      auto it = std::lower_bound(set.begin(), set.end(), p);
      if (it == set.end() || *it != p) set.insert(it, p);
      p = fnv(p, v);
    }
    for (int j = 0; j < MIX; j++) mix[j] = fnv(mix[j], nd[j]);
  }
  for (int k = 0; k < 4; k++) out[k] = fnv(fnv(fnv(mix[4 * k], mix[4 * k + 1]), mix[4 * k + 2]), mix[4 * k + 3]);
}

inline uint64_t load_le(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}
inline void store_le(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = uint8_t(v >> (8 * i));
}

}  // namespace

void qkc_mix(QkcState* st, const uint64_t s[8], uint64_t out[4]) {
  if (!fast_mix(st, s, out)) slow_mix(st->pristine, s, out);
}

void qkc_hash(QkcState* st, const uint8_t seal[32], uint64_t nonce, uint8_t mix[32], uint8_t result[32]) {
  uint8_t msg[40];
  std::memcpy(msg, seal, 32);
  store_le(msg + 32, nonce);
  uint8_t buf[96];
  keccak512(msg, 40, buf);
  uint64_t s[8], d[4];
  for (int i = 0; i < 8; i++) s[i] = load_le(buf + 8 * i);
  qkc_mix(st, s, d);
  for (int k = 0; k < 4; k++) store_le(buf + 64 + 8 * k, d[k]);
  std::memcpy(mix, buf + 64, 32);
  keccak256(buf, 96, result);
}

int64_t qkc_search(QkcState* st, const uint8_t seal[32], const uint8_t target[32], bool never, uint64_t start,
                   uint32_t count, uint8_t mix[32], uint8_t result[32]) {
  for (uint32_t i = 0; i < count; i++) {
    qkc_hash(st, seal, start + i, mix, result);
    if (!never && std::memcmp(result, target, 32) <= 0) return int64_t(i);
  }
  return -1;
}

}  // namespace shardminer
