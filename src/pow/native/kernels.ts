/** Kernel objects over the native addon: argument checks and conversions here, hashing in C++. */
import { checkJob, splitNonce, nonceAt, targetBytes, targetToBigint } from '../job.js';
import type { Kernel, SealJob, SearchResult } from '../types.js';
import { qkchashCacheForHeight } from '../../hashing/qkchash/cache.js';
import { qkchashEpoch } from '../../hashing/qkchash/params.js';
import { requireHeight } from '../qkchash/jsKernel.js';
import type { NativeAddon } from './addon.js';

/** Epoch caches kept per native qkchash kernel (each ~1.3 MB in C++). */
const NATIVE_QKC_CACHES = 2;

interface NativeArgs { readonly target: Uint8Array; readonly never: boolean; readonly hi: number; readonly lo: number }

function nativeArgs(job: SealJob): NativeArgs {
  checkJob(job);
  const t = targetToBigint(job.target);
  const { hi, lo } = splitNonce(job.startNonce);
  return { target: targetBytes(t), never: t < 0n, hi, lo };
}

export function createNativeSha256Kernel(addon: NativeAddon, variant: string): Kernel {
  const digest = new Uint8Array(32);
  const search = (job: SealJob): SearchResult => {
    const a = nativeArgs(job);
    const idx = addon.sha256dSearch(variant, job.sealHash, a.target, a.never, a.hi, a.lo, job.count, digest);
    if (idx < 0) return { found: null, hashes: job.count };
    return { found: { nonce: nonceAt(job.startNonce, idx), mixhash: new Uint8Array(32), digest: digest.slice() }, hashes: idx + 1 };
  };
  return { name: 'native', algo: 'doublesha256', variant, search };
}

export function createNativeQkchashKernel(addon: NativeAddon): Kernel {
  const mix = new Uint8Array(32), result = new Uint8Array(32);
  const handles = new Map<number, object>();
  const handleFor = (height: number): object => {
    const epoch = qkchashEpoch(height);
    let h = handles.get(epoch);
    if (!h) {
      h = addon.qkchashNew(qkchashCacheForHeight(height).values);
      handles.set(epoch, h);
      if (handles.size > NATIVE_QKC_CACHES) handles.delete(handles.keys().next().value!);
    }
    return h;
  };
  const search = (job: SealJob): SearchResult => {
    const a = nativeArgs(job);
    const handle = handleFor(requireHeight(job));
    const idx = addon.qkchashSearch(handle, job.sealHash, a.target, a.never, a.hi, a.lo, job.count, mix, result);
    if (idx < 0) return { found: null, hashes: job.count };
    return { found: { nonce: nonceAt(job.startNonce, idx), mixhash: mix.slice(), digest: result.slice() }, hashes: idx + 1 };
  };
  return { name: 'native', algo: 'qkchash', variant: 'bucket-set+undo (C++)', search };
}
