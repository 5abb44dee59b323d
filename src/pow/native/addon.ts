/** The native addon's interface (build/pow.node, native/addon.cc); loaded by ./load.ts, used by ./kernels.ts. */
export interface NativeCpu { readonly avx512f: boolean; readonly avx2: boolean; readonly sha: boolean; readonly sse41: boolean }

export interface NativeAddon {
  cpu(): NativeCpu;
  sha256dVariants(): string[];
  sha256dSearch(variant: string, seal: Uint8Array, target: Uint8Array, never: boolean, hi: number, lo: number, count: number, digestOut: Uint8Array): number;
  qkchashNew(sortedCache: BigUint64Array): object;
  qkchashMix(handle: object, seed: BigUint64Array, out: BigUint64Array): void;
  qkchashSearch(handle: object, seal: Uint8Array, target: Uint8Array, never: boolean, hi: number, lo: number, count: number, mixOut: Uint8Array, resultOut: Uint8Array): number;
}
