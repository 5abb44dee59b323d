/**
 * Keccak-256 from the native addon (build/pow.node, native/keccak.cc) for the hot paths: one
 * N-API call with a single number argument per hash. Each thread binds its own off-heap scratch
 * pair once; an input is copied into it (a short on-heap typed array handed to native code or to
 * hash-wasm would be moved into a fresh off-heap ArrayBuffer), hashed in place, and the digest is
 * copied out into a fresh on-heap array. ~3× cheaper per short input than hash-wasm here.
 * SHARDMINER_NO_NATIVE=1 disables it, as it does the sealing kernels.
 */
import type { Bytes } from '../core/bytes.js';
import type { Keccak256 } from '../core/keccak.js';
import { loadNativeAddon } from './nativeAddon.js';

/** The addon's two Keccak entries (native/addon.cc). */
interface KeccakAddon {
  keccak256Bind(input: Uint8Array, out: Uint8Array): void;
  keccak256(len: number): void;
}

/** Inputs up to this size go through the scratch (every transfer, trie node, Merkle pair and header); longer ones use `longer`. */
const SCRATCH_BYTES = 4096;
const DIGEST_BYTES = 32;

/** The addon's Keccak entries, or null without the addon (or with one built before them). */
function loadKeccakAddon(): KeccakAddon | null {
  const r = loadNativeAddon();
  if (!('addon' in r)) return null;
  const addon = r.addon as Partial<KeccakAddon>;
  return typeof addon.keccak256Bind === 'function' && typeof addon.keccak256 === 'function' ? (addon as KeccakAddon) : null;
}

/** One thread's bound scratch pair and its hasher (see nativeKeccak). */
interface Bound {
  readonly input: Uint8Array;
  readonly out: Uint8Array;
  readonly hash: (len: number) => void;
}

/**
 * The addon keeps one scratch pair per thread, and a second bind would silently re-point it, so
 * a thread binds once and every caller shares that pair. Kept on globalThis (one per thread), not
 * in a module variable: a second copy of this module in the same thread must share it too.
 */
const BOUND = Symbol.for('shardminer.keccakNative.bound');
type WithBound = { [BOUND]?: Bound | null };

function bindOnce(addon: KeccakAddon): Bound | null {
  const g = globalThis as WithBound;
  if (g[BOUND] !== undefined) return g[BOUND];
  const input = new Uint8Array(new ArrayBuffer(SCRATCH_BYTES));
  const out = new Uint8Array(new ArrayBuffer(DIGEST_BYTES));
  let bound: Bound | null;
  try {
    addon.keccak256Bind(input, out);
    bound = { input, out, hash: addon.keccak256 };
  } catch {
    bound = null;
  }
  g[BOUND] = bound;
  return bound;
}

/** The native Keccak-256 for this thread, inputs over 4 KiB handed to `longer`; null without the addon. */
export function nativeKeccak(longer: Keccak256): Keccak256 | null {
  const addon = loadKeccakAddon();
  if (!addon) return null;
  const b = bindOnce(addon);
  if (!b) return null;
  const { input, out, hash } = b;
  return (data: Bytes): Bytes => {
    if (data.length > SCRATCH_BYTES) return longer(data);
    input.set(data);
    hash(data.length);
    return out.slice();
  };
}
