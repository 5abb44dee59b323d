/** wasm-simd doublesha256 kernel: instantiates the generated module and drives its search loop. */
import { BLOCK1_CONST_ROUNDS, IV256, K256, MSG1_BITS, PAD_BIT_WORD } from '../sha256/constants.js';
import { partialRounds } from '../sha256/jsKernel.js';
import { beWords, checkJob, nonceAt, splitNonce, targetWords, wordsLeTarget, wordsToBytes } from '../job.js';
import type { SealJob, SearchResult } from '../types.js';
import type { KernelLoad } from '../types.js';
import { JOB_MID, JOB_T0, JOB_W, K_OFF, LANES, OUT_OFF, sha256WasmModule } from './sha256Module.js';

const TWO_32 = 0x1_0000_0000;

/** The slice of the WebAssembly JS API used here (lib "dom" is not part of this Node project). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | undefined;

interface Instance {
  readonly search: (lo: number, n: number) => number;
  readonly mem: Uint32Array;
}

function instantiate(): Instance {
  const api = wasmApi!;
  compiled ??= new api.Module(sha256WasmModule());
  const inst = new api.Instance(compiled, {});
  const mem = new Uint32Array((inst.exports.memory as { buffer: ArrayBuffer }).buffer);
  for (let t = 0; t < 64; t++) mem.fill(K256[t]! >>> 0, K_OFF / 4 + 4 * t, K_OFF / 4 + 4 * t + 4);
  return { search: inst.exports.search as (lo: number, n: number) => number, mem };
}

function search(inst: Instance, job: SealJob): SearchResult {
  checkJob(job);
  const tw = targetWords(job.target);
  const seal = beWords(job.sealHash);
  const { mem } = inst;
  const w = new Int32Array(16);
  const mid = new Int32Array(8);
  const digest = new Int32Array(8);
  let { hi, lo } = splitNonce(job.startNonce);
  let done = 0;
  mem[JOB_T0 / 4] = tw.words[0]!;
  while (done < job.count) {
    const n = Math.min(job.count - done, TWO_32 - lo);
    w.set(seal, 0);
    w[8] = hi; w[9] = 0; w[10] = PAD_BIT_WORD; w[15] = MSG1_BITS;
    mid.set(IV256);
    partialRounds(mid, w, BLOCK1_CONST_ROUNDS);
    mem.set(new Uint32Array(mid.buffer), JOB_MID / 4);
    mem.set(new Uint32Array(w.buffer), JOB_W / 4);
    // The module's nonce counter is a u32 offset from lo; lanes past n are ignored here.
    let from = 0;
    while (from < n) {
      const i = inst.search((lo + from) | 0, n - from);
      if (i < 0) break;
      for (let l = 0; l < LANES && from + i + l < n; l++) {
        for (let k = 0; k < 8; k++) digest[k] = mem[OUT_OFF / 4 + 4 * k + l]!;
        if (wordsLeTarget(digest, tw)) {
          const hashes = done + from + i + l + 1;
          return { found: { nonce: nonceAt(job.startNonce, hashes - 1), mixhash: new Uint8Array(32), digest: wordsToBytes(digest) }, hashes };
        }
      }
      from += i + LANES;
    }
    done += n;
    lo = 0;
    hi = (hi + 1) >>> 0;
  }
  return { found: null, hashes: done };
}

export function createWasmSha256Kernel(): KernelLoad {
  if (!wasmApi) return { error: 'WebAssembly is not available' };
  let inst: Instance;
  try {
    inst = instantiate();
  } catch (e) {
    return { error: `WebAssembly SIMD unavailable: ${e instanceof Error ? e.message : String(e)}` };
  }
  return { kernel: { name: 'wasm-simd', algo: 'doublesha256', variant: 'simd128 x4', search: (job) => search(inst, job) } };
}
