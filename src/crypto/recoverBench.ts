/** The cost of one sender recovery on this machine (the stress report's `recoverUs`, the unit its CPU per transfer is judged in). */
import { deriveDevKey, recoverSender, signTx } from './keys.js';

/**
 * µs per recovery over `count` freshly signed transfers (each recovered once: no memo helps), in
 * wall time and in the time of `cpuNowMs` (callers pass the thread's CPU clock, which other load
 * on the machine does not inflate).
 */
export function measureRecovery(count: number, cpuNowMs: () => number): { wallUs: number; cpuUs: number } {
  const key = deriveDevKey('bench', 0);
  const txs = Array.from({ length: count }, (_, i) => signTx({
    nonce: i, gasPrice: 1n, gasLimit: 21_000, to: { recipient: new Uint8Array(20), fullShardKey: 0 }, value: 1n, networkId: 3, fromFullShardKey: 0,
  }, key));
  const t = performance.now();
  const c = cpuNowMs();
  for (const tx of txs) recoverSender({ ...tx });
  const cpu = cpuNowMs() - c;
  const wall = performance.now() - t;
  return { wallUs: (wall * 1000) / count, cpuUs: (cpu * 1000) / count };
}
