/**
 * Piscina entry of the stateless sealer pool (thin). Task `sealSlice` is used by the
 * coordinator's RootSealer (src/cluster/rootSealer.ts) for root sealing; one kernel per
 * (algo, kernel choice) is kept per thread.
 */
import type { SealSliceTask, RootSealResult } from '../src/cluster/rootSealer.js';
import { selectKernel } from '../src/pow/select.js';
import { sealSlice as slice } from '../src/pow/slice.js';
import type { Kernel } from '../src/pow/types.js';

const kernels = new Map<string, Kernel>();

export function sealSlice(t: SealSliceTask): RootSealResult {
  const k = `${t.algo}:${t.kernel}`;
  let kernel = kernels.get(k);
  if (!kernel) {
    kernel = selectKernel(t.algo, t.kernel, () => undefined);
    kernels.set(k, kernel);
  }
  const r = slice(kernel, t, t.maxMs);
  return { found: r.found, hashes: r.hashes, nextNonce: r.nextNonce };
}
