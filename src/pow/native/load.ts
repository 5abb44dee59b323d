/** Loads the native addon (build/pow.node) if it was built; see native/ and scripts/build-native.mjs. */
import type { HashAlgo } from '../../consensus/target.js';
import type { KernelLoad } from '../select.js';

export function loadNativeKernel(algo: HashAlgo): KernelLoad {
  return { error: `native addon not built (${algo})` };
}
