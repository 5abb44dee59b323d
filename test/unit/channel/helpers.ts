/** Test helpers for the channel tests: a seeded PRNG and deterministic frame contents. */

/** mulberry32: a small seeded PRNG, so every run sees the same "random" sizes. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** An integer in [lo, hi] from `rand`. */
export function between(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** `length` bytes determined by `tag`: what a verifier regenerates to check content. */
export function patterned(tag: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (Math.imul(tag, 0x9e3779b1) + 1) >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** A 32-byte source hash naming message `tag`. */
export function hashFor(tag: number): Uint8Array {
  return patterned(tag ^ 0x5a5a5a5a, 32);
}

/** Resolves once `cond()` holds, yielding to the event loop between checks (no timing). */
export async function until(cond: () => boolean, maxTurns = 1_000_000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('condition never held');
}

/** A promise with its resolve exposed. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

/** The error code a function throws, or 'NO_ERROR'. */
export function codeOf(fn: () => unknown): string {
  try { fn(); } catch (e) { return (e as { code?: string }).code ?? 'NO_CODE'; }
  return 'NO_ERROR';
}
