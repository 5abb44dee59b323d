/** WebAssembly SIMD doublesha256 kernel (placeholder until the emitter lands). */
import type { KernelLoad } from '../select.js';

export function createWasmSha256Kernel(): KernelLoad {
  return { error: 'not built yet' };
}
