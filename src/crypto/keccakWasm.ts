/**
 * A WebAssembly Keccak-256 (hash-wasm) for the hot paths: transaction hashes, signing hashes and
 * the state trie. It is installed with `setKeccak` only after it agrees with the @noble/hashes
 * reference on a set of inputs, and each thread installs its own (WebAssembly instances are
 * per thread). ~8× faster than the pure-JS reference on this machine. The native addon's Keccak
 * (./keccakNative.ts) is preferred when it loads and checks out the same way.
 */
import { createKeccak, type IHasher } from 'hash-wasm';
import { equalBytes, type Bytes } from '../core/bytes.js';
import { referenceKeccak256, setKeccak, type Keccak256 } from '../core/keccak.js';
import { nativeKeccak } from './keccakNative.js';

/** Inputs that cover the sponge's edge cases: empty, one block minus one, one block, several blocks. */
const CHECK_LENGTHS = [0, 1, 32, 135, 136, 137, 272, 1000];

let installed: Promise<boolean> | null = null;

/**
 * Inputs up to this size are copied into an off-heap scratch buffer first: hash-wasm reads
 * `data.buffer`, which would move a small (on-heap) typed array's bytes into a fresh ArrayBuffer.
 */
const SCRATCH_BYTES = 256;

function wrap(h: IHasher): Keccak256 {
  const scratch = new Uint8Array(new ArrayBuffer(SCRATCH_BYTES));
  return (data: Bytes): Bytes => {
    h.init();
    if (data.length <= SCRATCH_BYTES) {
      scratch.set(data);
      h.update(scratch.subarray(0, data.length));
    } else {
      h.update(data);
    }
    return h.digest('binary');
  };
}

/** Whether `k` agrees with the reference on every check length. */
function agrees(k: Keccak256): boolean {
  for (const n of CHECK_LENGTHS) {
    const input = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
    if (!equalBytes(k(input), referenceKeccak256(input))) return false;
  }
  return true;
}

/**
 * Installs a fast Keccak in this thread if one checks out: the native addon's (inputs over its
 * scratch size through WebAssembly) or else WebAssembly's; returns whether one was installed.
 */
export function useFastKeccak(): Promise<boolean> {
  installed ??= (async () => {
    try {
      const k = wrap(await createKeccak(256));
      if (!agrees(k)) return false;
      const n = nativeKeccak(k);
      setKeccak(n && agrees(n) ? n : k);
      return true;
    } catch {
      return false;
    }
  })();
  return installed;
}

