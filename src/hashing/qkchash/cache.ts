/**
 * QKCHash epoch caches. Seed of epoch 0 = 32 zero bytes; seed of epoch n = keccak256(seed of n−1).
 * Cache = the distinct u64 words (little-endian) of keccak512(seed ‖ u32be(i)) for
 * i = 0 .. 8191, sorted ascending (normally 65,536 words).
 */
import { keccak_256, keccak_512 } from '@noble/hashes/sha3.js';
import { invalid } from '../../core/errors.js';
import type { Bytes } from '../../core/bytes.js';
import { QKC_CACHE_ENTRIES, QKC_WORDS_PER_KECCAK512, qkchashEpoch } from './params.js';

export interface QkchashCache {
  readonly seed: Bytes;
  /** Sorted ascending, distinct. */
  readonly values: BigUint64Array;
}

/** Caches kept per thread: the current epoch, its neighbour, and a little slack for checks. */
const CACHES_KEPT = 3;
/** Highest epoch served (height < 2^53 / 30000 would need ~3·10^11 seed hashes): a sanity bound. */
export const MAX_QKC_EPOCH = 1 << 20;

export function makeQkchashCache(seed: Bytes, entries: number = QKC_CACHE_ENTRIES): QkchashCache {
  const rounds = Math.floor(entries / QKC_WORDS_PER_KECCAK512);
  const msg = new Uint8Array(seed.length + 4);
  msg.set(seed, 0);
  const view = new DataView(msg.buffer);
  const all = new BigUint64Array(rounds * QKC_WORDS_PER_KECCAK512);
  for (let i = 0; i < rounds; i++) {
    view.setUint32(seed.length, i, false);
    const h = keccak_512(msg);
    const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
    for (let j = 0; j < QKC_WORDS_PER_KECCAK512; j++) all[i * QKC_WORDS_PER_KECCAK512 + j] = hv.getBigUint64(8 * j, true);
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
  return { seed: seed.slice(), values: all.slice(0, n) };
}

const seeds: Bytes[] = [new Uint8Array(32)];

export function qkchashEpochSeed(epoch: number): Bytes {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_QKC_EPOCH) {
    throw invalid('BAD_HEIGHT', `qkchash epoch out of range: ${epoch}`);
  }
  while (seeds.length <= epoch) seeds.push(keccak_256(seeds[seeds.length - 1]!));
  return seeds[epoch]!;
}

const recent = new Map<number, QkchashCache>();

export function qkchashCacheForEpoch(epoch: number): QkchashCache {
  const hit = recent.get(epoch);
  if (hit) {
    recent.delete(epoch);
    recent.set(epoch, hit);
    return hit;
  }
  const c = makeQkchashCache(qkchashEpochSeed(epoch));
  recent.set(epoch, c);
  if (recent.size > CACHES_KEPT) recent.delete(recent.keys().next().value!);
  return c;
}

export function qkchashCacheForHeight(height: number): QkchashCache {
  if (!Number.isSafeInteger(height) || height < 0) throw invalid('BAD_HEIGHT', `qkchash needs a height ≥ 0, got ${height}`);
  return qkchashCacheForEpoch(qkchashEpoch(height));
}
