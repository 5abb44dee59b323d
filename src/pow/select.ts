/**
 * Kernel choice: `auto` tries native → wasm-simd → js and logs one line (stderr) naming the kernel
 * in use and why faster ones were skipped; a forced kernel that cannot load is an error.
 */
import { internal } from '../core/errors.js';
import type { HashAlgo } from '../consensus/target.js';
import { KERNEL_NAMES, type Kernel, type KernelChoice, type KernelLoad, type KernelName } from './types.js';
import { createJsSha256Kernel } from './sha256/jsKernel.js';
import { createJsQkchashKernel } from './qkchash/jsKernel.js';
import { loadNativeKernel } from './native/load.js';
import { createWasmSha256Kernel } from './wasm/kernel.js';

export type KernelFactory = (algo: HashAlgo) => KernelLoad;

function wasmFactory(algo: HashAlgo): KernelLoad {
  if (algo !== 'doublesha256') return { error: `no wasm-simd kernel for ${algo}` };
  return createWasmSha256Kernel();
}

function jsFactory(algo: HashAlgo): KernelLoad {
  return { kernel: algo === 'doublesha256' ? createJsSha256Kernel() : createJsQkchashKernel() };
}

export const KERNEL_FACTORIES: Readonly<Record<KernelName, KernelFactory>> = {
  native: loadNativeKernel,
  'wasm-simd': wasmFactory,
  js: jsFactory,
};

export type LogLine = (line: string) => void;
export const stderrLog: LogLine = (line) => { process.stderr.write(`${line}\n`); };

/** Loads one named kernel or throws `internal('KERNEL_UNAVAILABLE')`. */
export function loadKernel(algo: HashAlgo, name: KernelName): Kernel {
  const r = KERNEL_FACTORIES[name](algo);
  if ('error' in r) throw internal('KERNEL_UNAVAILABLE', `${algo} kernel '${name}' unavailable: ${r.error}`);
  return r.kernel;
}

/**
 * The kernel for `choice`, logging one line that names it (and any skipped faster kernel).
 * `factories` is injectable so tests can make a kernel unavailable.
 */
export function selectKernel(
  algo: HashAlgo, choice: KernelChoice = 'auto', log: LogLine = stderrLog,
  factories: Readonly<Record<KernelName, KernelFactory>> = KERNEL_FACTORIES,
): Kernel {
  if (choice !== 'auto') {
    const r = factories[choice](algo);
    if ('error' in r) throw internal('KERNEL_UNAVAILABLE', `${algo} kernel '${choice}' unavailable: ${r.error}`);
    const k = r.kernel;
    log(`pow: ${algo} kernel ${k.name} (${k.variant}), forced`);
    return k;
  }
  const skipped: string[] = [];
  for (const name of KERNEL_NAMES) {
    const r = factories[name](algo);
    if ('kernel' in r) {
      const why = skipped.length ? `; skipped ${skipped.join('; ')}` : '';
      log(`pow: ${algo} kernel ${r.kernel.name} (${r.kernel.variant})${why}`);
      return r.kernel;
    }
    skipped.push(`${name}: ${r.error}`);
  }
  throw internal('KERNEL_UNAVAILABLE', `no ${algo} kernel: ${skipped.join('; ')}`);
}

export function isKernelChoice(s: string): s is KernelChoice {
  return s === 'auto' || (KERNEL_NAMES as readonly string[]).includes(s);
}
