// N-API entry of the shardminer sealing addon (build/pow.node). Exposes:
//   cpu() -> { avx512f, avx2, sha, sse41 }
//   sha256dVariants() -> usable doublesha256 variants in a static preference order (the JS side
//                        times them once per thread and uses the fastest)
//   sha256dSearch(variant, seal[32], target[32], never, hi, lo, count, digestOut[32]) -> index | -1
//   qkchashNew(sortedCache: BigUint64Array) -> handle
//   qkchashSearch(handle, seal[32], target[32], never, hi, lo, count, mixOut[32], resultOut[32]) -> index | -1
//   qkchashMix(handle, seed: BigUint64Array(8), out: BigUint64Array(4))  (the mix for a raw seed; tests)
//   keccak256Bind(in: Uint8Array, out: Uint8Array(32))  (this thread's scratch pair, kept referenced)
//   keccak256(len) -> Keccak-256 of in[0, len) written to out  (one number argument: the hot-path call)
// Arguments are validated in JS (src/pow/native/); here only their types and lengths are checked.
#include <node_api.h>
#include <cstring>
#include <string>
#include "sha256d.h"
#include "qkchash.h"
#include "keccak.h"

using namespace shardminer;

namespace {

struct Variant {
  const char* name;
  Sha256dSearchFn fn;
  bool (*usable)();
};

bool has_avx512() { return __builtin_cpu_supports("avx512f"); }
bool has_avx2() { return __builtin_cpu_supports("avx2"); }
bool has_sha() { return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1"); }
bool always() { return true; }

// Static preference order (AVX-512 16 lanes, SHA-NI 4 streams, AVX2 8 and 16 lanes, 4 lanes);
// src/pow/native/load.ts times the usable ones and picks the fastest.
const Variant VARIANTS[] = {
  {"avx512x16", search_avx512, has_avx512},
  {"sha-ni x4", search_shani, has_sha},
  {"avx2x8", search_avx2, has_avx2},
  {"avx2x16", search_avx2x16, has_avx2},
  {"sse2x4", search_generic, always},
};
constexpr int NVARIANTS = sizeof(VARIANTS) / sizeof(VARIANTS[0]);

napi_value throw_type(napi_env env, const char* msg) {
  napi_throw_type_error(env, "BAD_NATIVE_ARGS", msg);
  return nullptr;
}

/** A typed array of exactly `want` elements of kind `kind`, as a pointer to its data. */
template <typename T>
bool get_array(napi_env env, napi_value v, napi_typedarray_type kind, size_t want, T** out) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &type, &len, &data, &ab, &off) != napi_ok) return false;
  if (type != kind || len != want) return false;
  *out = static_cast<T*>(data);
  return true;
}

bool get_bytes(napi_env env, napi_value v, size_t want, uint8_t** out) {
  return get_array(env, v, napi_uint8_array, want, out);
}

bool get_u32(napi_env env, napi_value v, uint32_t* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return false;
  if (!(d >= 0 && d <= 4294967295.0) || d != double(uint32_t(d))) return false;
  *out = uint32_t(d);
  return true;
}

void be_words(const uint8_t* b, uint32_t* w) {
  for (int i = 0; i < 8; i++) w[i] = (uint32_t(b[4 * i]) << 24) | (uint32_t(b[4 * i + 1]) << 16) | (uint32_t(b[4 * i + 2]) << 8) | b[4 * i + 3];
}

void words_be(const uint32_t* w, uint8_t* b) {
  for (int i = 0; i < 8; i++) { b[4 * i] = uint8_t(w[i] >> 24); b[4 * i + 1] = uint8_t(w[i] >> 16); b[4 * i + 2] = uint8_t(w[i] >> 8); b[4 * i + 3] = uint8_t(w[i]); }
}

napi_value num(napi_env env, double d) {
  napi_value r;
  napi_create_double(env, d, &r);
  return r;
}

napi_value Cpu(napi_env env, napi_callback_info) {
  __builtin_cpu_init();
  napi_value o, t;
  napi_create_object(env, &o);
  napi_get_boolean(env, has_avx512(), &t); napi_set_named_property(env, o, "avx512f", t);
  napi_get_boolean(env, has_avx2(), &t); napi_set_named_property(env, o, "avx2", t);
  napi_get_boolean(env, __builtin_cpu_supports("sha"), &t); napi_set_named_property(env, o, "sha", t);
  napi_get_boolean(env, __builtin_cpu_supports("sse4.1"), &t); napi_set_named_property(env, o, "sse41", t);
  return o;
}

napi_value Sha256dVariants(napi_env env, napi_callback_info) {
  __builtin_cpu_init();
  napi_value arr;
  napi_create_array(env, &arr);
  uint32_t n = 0;
  for (int i = 0; i < NVARIANTS; i++) {
    if (!VARIANTS[i].usable()) continue;
    napi_value s;
    napi_create_string_utf8(env, VARIANTS[i].name, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, arr, n++, s);
  }
  return arr;
}

// Common parsing of (seal, target, never, hi, lo, count) at argv[first..first+5].
bool parse_job(napi_env env, napi_value* argv, Sha256dJob& job, uint64_t& start, uint32_t& count) {
  uint8_t *seal, *target;
  bool never;
  uint32_t hi, lo;
  if (!get_bytes(env, argv[0], 32, &seal) || !get_bytes(env, argv[1], 32, &target)) return false;
  if (napi_get_value_bool(env, argv[2], &never) != napi_ok) return false;
  if (!get_u32(env, argv[3], &hi) || !get_u32(env, argv[4], &lo) || !get_u32(env, argv[5], &count)) return false;
  be_words(seal, job.seal);
  be_words(target, job.target);
  job.never = never;
  start = (uint64_t(hi) << 32) | lo;
  return true;
}

napi_value Sha256dSearch(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 8) return throw_type(env, "sha256dSearch takes 8 arguments");
  char name[32];
  size_t nlen;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &nlen) != napi_ok) return throw_type(env, "variant must be a string");
  const Variant* v = nullptr;
  for (int i = 0; i < NVARIANTS; i++) if (std::strcmp(VARIANTS[i].name, name) == 0) v = &VARIANTS[i];
  if (!v || !v->usable()) return throw_type(env, "unknown or unusable variant");
  Sha256dJob job;
  uint64_t start;
  uint32_t count;
  uint8_t* out;
  if (!parse_job(env, argv + 1, job, start, count) || !get_bytes(env, argv[7], 32, &out)) return throw_type(env, "bad job arguments");
  uint32_t d[8];
  int64_t idx = v->fn(job, start, count, d);
  if (idx >= 0) words_be(d, out);
  return num(env, double(idx));
}

void FinalizeQkc(napi_env, void* data, void*) { qkc_destroy(static_cast<QkcState*>(data)); }

napi_value QkchashNew(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  bool is;
  if (argc != 1 || napi_is_typedarray(env, argv[0], &is) != napi_ok || !is) return throw_type(env, "qkchashNew takes a BigUint64Array");
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  napi_get_typedarray_info(env, argv[0], &type, &len, &data, &ab, &off);
  if (type != napi_biguint64_array || len == 0) return throw_type(env, "qkchashNew takes a non-empty BigUint64Array");
  QkcState* st = qkc_create(static_cast<const uint64_t*>(data), len);
  napi_value ext;
  napi_create_external(env, st, FinalizeQkc, nullptr, &ext);
  return ext;
}

napi_value QkchashSearch(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc != 9) return throw_type(env, "qkchashSearch takes 9 arguments");
  void* p;
  if (napi_get_value_external(env, argv[0], &p) != napi_ok) return throw_type(env, "bad qkchash handle");
  Sha256dJob job;
  uint64_t start;
  uint32_t count;
  uint8_t *mix, *result;
  if (!parse_job(env, argv + 1, job, start, count) || !get_bytes(env, argv[7], 32, &mix) || !get_bytes(env, argv[8], 32, &result)) {
    return throw_type(env, "bad job arguments");
  }
  uint8_t seal[32];
  words_be(job.seal, seal);
  uint8_t target[32];
  words_be(job.target, target);
  int64_t idx = qkc_search(static_cast<QkcState*>(p), seal, target, job.never, start, count, mix, result);
  return num(env, double(idx));
}

bool get_u64s(napi_env env, napi_value v, size_t want, uint64_t** out) {
  return get_array(env, v, napi_biguint64_array, want, out);
}

napi_value QkchashMix(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* p;
  uint64_t *seed, *out;
  if (argc != 3 || napi_get_value_external(env, argv[0], &p) != napi_ok || !get_u64s(env, argv[1], 8, &seed) || !get_u64s(env, argv[2], 4, &out)) {
    return throw_type(env, "qkchashMix(handle, BigUint64Array(8), BigUint64Array(4))");
  }
  qkc_mix(static_cast<QkcState*>(p), seed, out);
  return nullptr;
}

// The scratch pair of keccak256Bind, per env (thread): references keep both arrays alive.
struct KeccakScratch {
  napi_ref in_ref = nullptr, out_ref = nullptr;
  uint8_t* in = nullptr;
  size_t cap = 0;
  uint8_t* out = nullptr;
};

void FinalizeScratch(napi_env env, void* data, void*) {
  auto* k = static_cast<KeccakScratch*>(data);
  if (k->in_ref) napi_delete_reference(env, k->in_ref);
  if (k->out_ref) napi_delete_reference(env, k->out_ref);
  delete k;
}

napi_value Keccak256Bind(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  bool is;
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_value ab;
  size_t off;
  uint8_t* out;
  if (argc != 2 || napi_is_typedarray(env, argv[0], &is) != napi_ok || !is || napi_get_typedarray_info(env, argv[0], &type, &len, &data, &ab, &off) != napi_ok ||
      type != napi_uint8_array || !get_bytes(env, argv[1], 32, &out)) {
    return throw_type(env, "keccak256Bind(in: Uint8Array, out: Uint8Array(32))");
  }
  void* old = nullptr;
  napi_get_instance_data(env, &old);
  auto* k = old ? static_cast<KeccakScratch*>(old) : new KeccakScratch();
  if (k->in_ref) napi_delete_reference(env, k->in_ref);
  if (k->out_ref) napi_delete_reference(env, k->out_ref);
  napi_create_reference(env, argv[0], 1, &k->in_ref);
  napi_create_reference(env, argv[1], 1, &k->out_ref);
  k->in = static_cast<uint8_t*>(data);
  k->cap = len;
  k->out = out;
  if (!old) napi_set_instance_data(env, k, FinalizeScratch, nullptr);
  return nullptr;
}

napi_value Keccak256(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  auto* k = static_cast<KeccakScratch*>(data);
  uint32_t len;
  if (!k || !k->in || argc != 1 || !get_u32(env, argv[0], &len) || len > k->cap) return throw_type(env, "keccak256(len) needs keccak256Bind first and len within its input");
  keccak256(k->in, len, k->out);
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
    {"cpu", nullptr, Cpu, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"sha256dVariants", nullptr, Sha256dVariants, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"sha256dSearch", nullptr, Sha256dSearch, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"qkchashNew", nullptr, QkchashNew, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"qkchashSearch", nullptr, QkchashSearch, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"qkchashMix", nullptr, QkchashMix, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"keccak256Bind", nullptr, Keccak256Bind, nullptr, nullptr, nullptr, napi_default, nullptr},
    {"keccak256", nullptr, Keccak256, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
