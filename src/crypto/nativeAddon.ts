/**
 * Loading the native addon (build/pow.node, built by scripts/build-native.mjs from native/), once
 * per thread: the sealing kernels (pow/native/) and Keccak-256 (keccakNative.ts) both use it.
 * Loading never throws: a missing or broken addon is reported as a reason, and the caller falls
 * back. SHARDMINER_NO_NATIVE=1 disables it.
 */
import { createRequire } from 'node:module';

/** Where build/pow.node sits relative to this file, compiled (dist/src/crypto) or not (src/crypto). */
const ADDON_PATHS = ['../../../build/pow.node', '../../build/pow.node'];

export type AddonLoad = { readonly addon: unknown } | { readonly error: string };

let loaded: AddonLoad | undefined;

export function loadNativeAddon(): AddonLoad {
  if (loaded) return loaded;
  if (process.env.SHARDMINER_NO_NATIVE === '1') return (loaded = { error: 'disabled by SHARDMINER_NO_NATIVE=1' });
  const require = createRequire(import.meta.url);
  const reasons: string[] = [];
  for (const rel of ADDON_PATHS) {
    const path = new URL(rel, import.meta.url);
    try {
      return (loaded = { addon: require(path.pathname) as unknown });
    } catch (e) {
      const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
      if (!msg.includes('Cannot find module')) reasons.push(msg);
    }
  }
  return (loaded = { error: reasons[0] ?? 'build/pow.node not built (run `node scripts/build-native.mjs`)' });
}
