/**
 * QKCHash of (seal hash, nonce) over an epoch cache:
 *   s      = keccak512(sealHash ‖ nonce as u64 little-endian)        (8 u64 words, LE)
 *   mix    = s ‖ s (16 words); 64 rounds: p = fnv(i ⊕ s0, mix[i mod 16]); 16 times: remove the
 *            (p mod size)-th smallest value v of the set, p = fnv(p, v), insert p unless
 *            present, p = fnv(p, v); then mix[j] = fnv(mix[j], v_j)
 *   digest = 4 words fnv(fnv(fnv(m0, m1), m2), m3) over consecutive quads, 32 bytes LE (mixhash)
 *   result = keccak256(s ‖ digest), compared big-endian with the target.
 * (goquarkchain writes the nonce little-endian; pyquarkchain reverses the big-endian nonce bytes:
 * the same bytes.)
 */
import { keccak_256, keccak_512 } from '@noble/hashes/sha3.js';
import type { Bytes } from '../../core/bytes.js';
import { QkcBucketSet } from './bucketSet.js';
import type { QkchashCache } from './cache.js';
import { QKC_ACCESS_ROUNDS, QKC_DIGEST_WORDS, QKC_MIX_WORDS } from './params.js';
import { qkchashMixReference } from './reference.js';

const SEED_WORDS = 8;
const TWO_32 = 4294967296;
/** FNV prime 2^40 + 0x1b3: the low part multiplies, the 2^40 part is a shift by 8 into the high word. */
const PRIME_LOW = 0x1b3;
const PRIME_SHIFT = 8;

/**
 * (hi·2^32 + lo) mod n for n ≤ 2^17, without the slow float `%` (a runtime call in V8): two
 * floor-divisions whose quotients are exact to < 2^-20, corrected by one step if off by one.
 */
function modU64(hi: number, lo: number, n: number): number {
  let r = hi - Math.floor(hi / n) * n;
  if (r < 0) r += n; else if (r >= n) r -= n;
  const x = r * TWO_32 + lo;
  let q = x - Math.floor(x / n) * n;
  if (q < 0) q += n; else if (q >= n) q -= n;
  return q;
}

export interface QkchashOutput {
  /** The 32-byte digest that must equal the header's mixhash. */
  readonly mix: Bytes;
  /** keccak256(s ‖ mix), compared with the target. */
  readonly result: Bytes;
}

/** keccak512(sealHash ‖ nonce LE). */
export function qkchashSeed(sealHash: Bytes, nonce: bigint): Bytes {
  const m = new Uint8Array(40);
  m.set(sealHash, 0);
  new DataView(m.buffer).setBigUint64(32, nonce, true);
  return keccak_512(m);
}

/** Per-thread working state for one cache: the fast set plus scratch words. */
export class QkchashWorker {
  readonly set: QkcBucketSet;
  private readonly mixHi = new Uint32Array(QKC_MIX_WORDS);
  private readonly mixLo = new Uint32Array(QKC_MIX_WORDS);
  private readonly ndHi = new Uint32Array(QKC_MIX_WORDS);
  private readonly ndLo = new Uint32Array(QKC_MIX_WORDS);
  private fh = 0;
  private fl = 0;

  constructor(readonly cache: QkchashCache) {
    this.set = new QkcBucketSet(cache.values);
  }

  /** fnv64((ah, al), (bh, bl)) into (fh, fl). */
  private fnv(ah: number, al: number, bh: number, bl: number): void {
    const m = al * PRIME_LOW;
    const lo = m >>> 0;
    this.fh = (((Math.imul(ah, PRIME_LOW) + (m - lo) / TWO_32 + (al << PRIME_SHIFT)) | 0) ^ bh) >>> 0;
    this.fl = (lo ^ bl) >>> 0;
  }

  /** The 32-byte digest for seed bytes `s` (64), or null if the fast set overflowed. */
  private fastDigest(s: Bytes): Bytes | null {
    const set = this.set, mixHi = this.mixHi, mixLo = this.mixLo, ndHi = this.ndHi, ndLo = this.ndLo;
    const sv = new DataView(s.buffer, s.byteOffset, 64);
    for (let i = 0; i < QKC_MIX_WORDS; i++) {
      const w = i % SEED_WORDS;
      mixLo[i] = sv.getUint32(8 * w, true);
      mixHi[i] = sv.getUint32(8 * w + 4, true);
    }
    const s0h = mixHi[0]!, s0l = mixLo[0]!;
    try {
      for (let i = 0; i < QKC_ACCESS_ROUNDS; i++) {
        this.fnv(s0h, (s0l ^ i) >>> 0, mixHi[i % QKC_MIX_WORDS]!, mixLo[i % QKC_MIX_WORDS]!);
        let ph = this.fh, pl = this.fl;
        for (let j = 0; j < QKC_MIX_WORDS; j++) {
          set.deleteAt(modU64(ph, pl, set.size));
          const vh = set.outHi, vl = set.outLo;
          ndHi[j] = vh; ndLo[j] = vl;
          // p = fnv(p, v), inlined (hot): p·(2^40 + 0x1b3) ⊕ v mod 2^64.
          let m = pl * PRIME_LOW;
          let lo = m >>> 0;
          ph = (((Math.imul(ph, PRIME_LOW) + (m - lo) / TWO_32 + (pl << PRIME_SHIFT)) | 0) ^ vh) >>> 0;
          pl = (lo ^ vl) >>> 0;
          set.insert(ph, pl);
          if (set.overflow) return null;
          m = pl * PRIME_LOW;
          lo = m >>> 0;
          ph = (((Math.imul(ph, PRIME_LOW) + (m - lo) / TWO_32 + (pl << PRIME_SHIFT)) | 0) ^ vh) >>> 0;
          pl = (lo ^ vl) >>> 0;
        }
        for (let j = 0; j < QKC_MIX_WORDS; j++) {
          this.fnv(mixHi[j]!, mixLo[j]!, ndHi[j]!, ndLo[j]!);
          mixHi[j] = this.fh; mixLo[j] = this.fl;
        }
      }
    } finally {
      set.undo();
    }
    const out = new Uint8Array(8 * QKC_DIGEST_WORDS);
    const ov = new DataView(out.buffer);
    for (let k = 0; k < QKC_DIGEST_WORDS; k++) {
      let h = mixHi[4 * k]!, l = mixLo[4 * k]!;
      for (let q = 1; q < 4; q++) { this.fnv(h, l, mixHi[4 * k + q]!, mixLo[4 * k + q]!); h = this.fh; l = this.fl; }
      ov.setUint32(8 * k, l, true);
      ov.setUint32(8 * k + 4, h, true);
    }
    return out;
  }

  /** The 32-byte digest (mixhash) for the 64-byte seed s = keccak512(sealHash ‖ nonce LE). */
  digestFromSeed(s: Bytes): Bytes {
    return this.fastDigest(s) ?? referenceDigest(this.cache, s);
  }

  hash(sealHash: Bytes, nonce: bigint): QkchashOutput {
    const s = qkchashSeed(sealHash, nonce);
    const mix = this.digestFromSeed(s);
    const buf = new Uint8Array(64 + 32);
    buf.set(s, 0);
    buf.set(mix, 64);
    return { mix, result: keccak_256(buf) };
  }
}

function referenceDigest(cache: QkchashCache, s: Bytes): Bytes {
  const sv = new DataView(s.buffer, s.byteOffset, 64);
  const words = new BigUint64Array(SEED_WORDS);
  for (let i = 0; i < SEED_WORDS; i++) words[i] = sv.getBigUint64(8 * i, true);
  const d = qkchashMixReference(cache.values, words);
  const out = new Uint8Array(8 * QKC_DIGEST_WORDS);
  const ov = new DataView(out.buffer);
  for (let k = 0; k < QKC_DIGEST_WORDS; k++) ov.setBigUint64(8 * k, d[k]!, true);
  return out;
}

/** QKCHash with the reference (slow, simple) set: the test oracle. */
export function qkchashHashReference(cache: QkchashCache, sealHash: Bytes, nonce: bigint): QkchashOutput {
  const s = qkchashSeed(sealHash, nonce);
  const mix = referenceDigest(cache, s);
  const buf = new Uint8Array(96);
  buf.set(s, 0);
  buf.set(mix, 64);
  return { mix, result: keccak_256(buf) };
}

const workers = new WeakMap<QkchashCache, QkchashWorker>();

/** The (per-thread, per-cache) worker. */
export function qkchashWorker(cache: QkchashCache): QkchashWorker {
  let w = workers.get(cache);
  if (!w) { w = new QkchashWorker(cache); workers.set(cache, w); }
  return w;
}

/** QKCHash of (sealHash, nonce) with `cache`. */
export function qkchashHash(cache: QkchashCache, sealHash: Bytes, nonce: bigint): QkchashOutput {
  return qkchashWorker(cache).hash(sealHash, nonce);
}
