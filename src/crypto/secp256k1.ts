/**
 * secp256k1 ECDSA behind one small backend interface (DESIGN §3, §4).
 *
 * - `native`: libsecp256k1 through the `secp256k1` package's prebuilt binding (fast: the
 *   stress test's hot path is sender recovery).
 * - `noble`:  pure-JS `@noble/curves`, used when the binding cannot load.
 *
 * Both sign deterministically (RFC 6979, no extra entropy) and produce low-s signatures, so
 * they produce identical signatures for the same key and message.
 *
 * Environment: `SHARDMINER_SECP256K1=noble` forces the pure-JS backend (for testing the
 * fallback, or on a platform whose binding misbehaves). Any other value means "native if it loads".
 */
import { createRequire } from 'node:module';
import { secp256k1 as noble } from '@noble/curves/secp256k1.js';
import { internal } from '../core/errors.js';
import { bytesToBigint, type Bytes } from '../core/bytes.js';

export type BackendName = 'native' | 'noble';

export interface Signature {
  readonly r: Bytes;
  readonly s: Bytes;
  readonly recovery: 0 | 1;
}

export interface Secp256k1Backend {
  readonly name: BackendName;
  /** 64-byte uncompressed public key without the 0x04 prefix. Throws on an invalid key. */
  publicKey(priv32: Bytes): Bytes;
  /** Signs a 32-byte message hash (no further hashing); low-s, RFC 6979. */
  sign(msgHash32: Bytes, priv32: Bytes): Signature;
  /** The 64-byte public key that signed `msgHash32`, or null when recovery fails. */
  recover(msgHash32: Bytes, r: Bytes, s: Bytes, recovery: number): Bytes | null;
}

export type Backend = Secp256k1Backend;

/** The env var that selects the backend; its value `noble` forces the pure-JS one. */
export const BACKEND_ENV = 'SHARDMINER_SECP256K1';

const SCALAR_LEN = 32;

/** The subset of `secp256k1/bindings` (secp256k1-node v5 API) that we use. */
interface NativeBinding {
  publicKeyCreate(seckey: Uint8Array, compressed: boolean): Uint8Array;
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
  ecdsaRecover(sig64: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean, output?: Uint8Array): Uint8Array;
}

function asRecovery(recid: number): 0 | 1 {
  // Ids 2 and 3 need r ≥ n after reduction: probability ~2^-127, never seen in practice.
  if (recid !== 0 && recid !== 1) throw internal('SIG_RECOVERY_ID', `signer produced recovery id ${recid}`);
  return recid;
}

// Every `.subarray(1)` below drops the 0x04 prefix of a 65-byte uncompressed SEC1 key.

function makeNative(b: NativeBinding): Secp256k1Backend {
  // Scratch for r ‖ s and the recovered SEC1 key: recovery is synchronous, so one buffer each per
  // thread is enough. The key is returned as a 64-byte copy, which V8 keeps on its heap (a fresh
  // 65-byte output would be an off-heap buffer per recovery).
  const sig = new Uint8Array(2 * SCALAR_LEN);
  const pub = new Uint8Array(1 + 2 * SCALAR_LEN);
  return {
    name: 'native',
    publicKey: (priv) => b.publicKeyCreate(priv, false).subarray(1),
    sign(msgHash, priv) {
      const { signature, recid } = b.ecdsaSign(msgHash, priv);
      return { r: signature.slice(0, SCALAR_LEN), s: signature.slice(SCALAR_LEN), recovery: asRecovery(recid) };
    },
    recover(msgHash, r, s, recovery) {
      if (r.length !== SCALAR_LEN || s.length !== SCALAR_LEN || (recovery !== 0 && recovery !== 1)) return null;
      sig.set(r, 0);
      sig.set(s, SCALAR_LEN);
      try {
        return b.ecdsaRecover(sig, recovery, msgHash, false, pub).slice(1);
      } catch {
        return null;
      }
    },
  };
}

export const nobleBackend: Secp256k1Backend = {
  name: 'noble',
  publicKey: (priv) => noble.getPublicKey(priv, false).subarray(1),
  sign(msgHash, priv) {
    // 'recovered' format = recovery byte ‖ r ‖ s; lowS and no extra entropy match libsecp256k1.
    const out = noble.sign(msgHash, priv, { prehash: false, lowS: true, extraEntropy: false, format: 'recovered' });
    return { r: out.slice(1, 1 + SCALAR_LEN), s: out.slice(1 + SCALAR_LEN), recovery: asRecovery(out[0]!) };
  },
  recover(msgHash, r, s, recovery) {
    if (r.length !== SCALAR_LEN || s.length !== SCALAR_LEN || (recovery !== 0 && recovery !== 1)) return null;
    try {
      const sig = new noble.Signature(bytesToBigint(r), bytesToBigint(s), recovery);
      return sig.recoverPublicKey(msgHash).toBytes(false).subarray(1);
    } catch {
      return null;
    }
  },
};

export type NativeLoad = { backend: Secp256k1Backend } | { error: string };
let nativeLoad: NativeLoad | undefined;

function loadNative(): NativeLoad {
  if (nativeLoad === undefined) {
    try {
      const binding = createRequire(import.meta.url)('secp256k1/bindings') as NativeBinding;
      nativeLoad = { backend: makeNative(binding) };
    } catch (e) {
      nativeLoad = { error: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
    }
  }
  return nativeLoad;
}

/** The libsecp256k1 backend, or null when the binding cannot load (ignores the env var). */
export function nativeBackend(): Secp256k1Backend | null {
  const l = loadNative();
  return 'backend' in l ? l.backend : null;
}

export interface BackendChoice {
  readonly backend: Secp256k1Backend;
  /** The one line to print to stderr, when the fallback was not asked for. */
  readonly warning?: string;
}

/** Pure selection rule, exposed for tests: forced noble, else native, else noble with a warning. */
export function chooseBackend(envValue: string | undefined, load: () => NativeLoad): BackendChoice {
  if (envValue === 'noble') return { backend: nobleBackend };
  const l = load();
  if ('backend' in l) return { backend: l.backend };
  return {
    backend: nobleBackend,
    warning: `shardminer: native secp256k1 unavailable (${l.error}); using pure-JS @noble/curves (~20x slower)`,
  };
}

let selected: Secp256k1Backend | undefined;

/** The backend every caller uses: chosen once per thread. */
export function getSecp(): Secp256k1Backend {
  if (selected === undefined) {
    const choice = chooseBackend(process.env[BACKEND_ENV], loadNative);
    if (choice.warning !== undefined) process.stderr.write(choice.warning + '\n');
    selected = choice.backend;
  }
  return selected;
}

export function secpBackendName(): BackendName {
  return getSecp().name;
}
