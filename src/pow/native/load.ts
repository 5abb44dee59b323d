/**
 * The native addon (build/pow.node, built by scripts/build-native.mjs from native/). Loading never
 * throws: a missing or broken addon is reported as a reason, and the next kernel is used.
 * SHARDMINER_NO_NATIVE=1 disables it; SHARDMINER_NATIVE_VARIANT=<name> forces a doublesha256
 * variant (`avx512x16`, `sha-ni x4`, `avx2x8`, `avx2x16`, `sse2x4`).
 *
 * Variant choice: the addon lists the variants this CPU supports (feature detection at run time);
 * when several are usable, each is timed briefly once per thread and the fastest wins, because
 * the best one depends on the microarchitecture (AVX-512 beats SHA-NI on recent Intel cores,
 * SHA-NI beats AVX2 on AMD Zen).
 */
import { loadNativeAddon } from '../../crypto/nativeAddon.js';
import type { HashAlgo } from '../../consensus/target.js';
import type { KernelLoad } from '../types.js';
import { createNativeQkchashKernel, createNativeSha256Kernel } from './kernels.js';
import type { NativeAddon } from './addon.js';



/** The addon (crypto/nativeAddon.ts loads it once per thread), or why not. */
export function loadAddon(): { readonly addon: NativeAddon } | { readonly error: string } {
  return loadNativeAddon() as { readonly addon: NativeAddon } | { readonly error: string };
}

/** Usable doublesha256 variants, preferred first (empty without the addon). */
export function nativeVariants(): string[] {
  const r = loadAddon();
  return 'addon' in r ? r.addon.sha256dVariants() : [];
}

/** Nonces per calibration run: ~1 ms for the fast variants, a few ms for the slow ones. */
const CALIBRATION_NONCES = 20_000;
/** Each variant is timed this many times (interleaved); its best run counts. */
const CALIBRATION_ROUNDS = 2;

/** Calibration results per candidate list (normally one list per thread). */
const calibrated = new Map<string, string>();

/** The fastest of `variants` on this machine, measured once per thread. */
export function fastestVariant(addon: NativeAddon, variants: readonly string[]): string {
  const key = variants.join('|');
  const known = calibrated.get(key);
  if (known !== undefined) return known;
  if (variants.length === 1) return variants[0]!;
  const seal = new Uint8Array(32), target = new Uint8Array(32), out = new Uint8Array(32);
  const best = new Map<string, number>();
  for (let r = 0; r < CALIBRATION_ROUNDS; r++) {
    for (const v of variants) {
      const t0 = performance.now();
      addon.sha256dSearch(v, seal, target, true, 0, 0, CALIBRATION_NONCES, out);
      const ms = performance.now() - t0;
      best.set(v, Math.min(best.get(v) ?? Infinity, ms));
    }
  }
  const fastest = [...best.entries()].sort((a, b) => a[1] - b[1])[0]![0];
  calibrated.set(key, fastest);
  return fastest;
}

export function loadNativeKernel(algo: HashAlgo): KernelLoad {
  const r = loadAddon();
  if ('error' in r) return { error: r.error };
  if (algo === 'qkchash') return { kernel: createNativeQkchashKernel(r.addon) };
  const variants = r.addon.sha256dVariants();
  const forced = process.env.SHARDMINER_NATIVE_VARIANT;
  if (forced && !variants.includes(forced)) return { error: `variant '${forced}' not usable here (have ${variants.join(', ')})` };
  return { kernel: createNativeSha256Kernel(r.addon, forced || fastestVariant(r.addon, variants)) };
}
