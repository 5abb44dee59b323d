/**
 * QKCHash mix, straightforward: a sorted BigUint64Array with element shifts, as the algorithm
 * is specified (remove the p-th smallest, insert a new value unless present). Slow (~ms per
 * hash); used as the test oracle and as the fallback when the fast set overflows a bucket.
 */
import { QKC_ACCESS_ROUNDS, QKC_DIGEST_WORDS, QKC_MIX_WORDS, fnv64 } from './params.js';

/** The 4-word compressed mix for the 8-word seed `s` over the sorted `cache`. */
export function qkchashMixReference(cache: BigUint64Array, s: BigUint64Array): BigUint64Array {
  const set = new BigUint64Array(cache.length + QKC_ACCESS_ROUNDS * QKC_MIX_WORDS);
  set.set(cache);
  let n = cache.length;
  const mix = new BigUint64Array(QKC_MIX_WORDS);
  for (let i = 0; i < QKC_MIX_WORDS; i++) mix[i] = s[i % s.length]!;
  const newData = new BigUint64Array(QKC_MIX_WORDS);
  for (let i = 0; i < QKC_ACCESS_ROUNDS; i++) {
    let p = fnv64(BigInt(i) ^ s[0]!, mix[i % QKC_MIX_WORDS]!);
    for (let j = 0; j < QKC_MIX_WORDS; j++) {
      const idx = Number(p % BigInt(n));
      const v = set[idx]!;
      set.copyWithin(idx, idx + 1, n);
      n--;
      newData[j] = v;
      p = fnv64(p, v);
      let lo = 0, hi = n;
      while (lo < hi) { const m = (lo + hi) >>> 1; if (set[m]! < p) lo = m + 1; else hi = m; }
      if (lo === n || set[lo] !== p) { set.copyWithin(lo + 1, lo, n); set[lo] = p; n++; }
      p = fnv64(p, v);
    }
    for (let j = 0; j < QKC_MIX_WORDS; j++) mix[j] = fnv64(mix[j]!, newData[j]!);
  }
  const out = new BigUint64Array(QKC_DIGEST_WORDS);
  for (let k = 0; k < QKC_DIGEST_WORDS; k++) {
    out[k] = fnv64(fnv64(fnv64(mix[4 * k]!, mix[4 * k + 1]!), mix[4 * k + 2]!), mix[4 * k + 3]!);
  }
  return out;
}
