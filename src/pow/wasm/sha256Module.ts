/**
 * The wasm-simd doublesha256 module, generated as bytes at start-up (no toolchain needed).
 * Four nonces per pass (i32x4 lanes: nonce low words lo+i .. lo+i+3). Rounds 16..63 and the
 * message schedule run as loops (8 rounds per iteration) because a fully unrolled body is slower
 * (instruction fetch). Ch and Maj are one/two v128.bitselect.
 *
 * Memory (one 64 KiB page):
 *   K_OFF    64 × v128  round constants, splatted (written once by the host)
 *   W1_OFF   64 × v128  block-1 schedule (words 0..8, 10..15 splatted per call, 9 = nonces)
 *   W2_OFF   64 × v128  block-2 schedule
 *   JOB_OFF  u32 mid[8] (state after rounds 0..8), u32 w[16] (block-1 words), u32 target word 0
 *   OUT_OFF  8 × v128   final state + IV of the last candidate pass (lane l = nonce lo+i+l)
 * search(lo, n) → offset i of the first 4-nonce pass with a lane whose first digest word is
 * ≤ the target's first word (the host checks the full digest), or −1.
 */
import { Body, encodeModule, I32, V128 } from './emit.js';
import { IV256, MSG2_BITS, PAD_BIT_WORD } from '../sha256/constants.js';

export const LANES = 4;
export const K_OFF = 0;
export const W1_OFF = 1024;
export const W2_OFF = 2048;
export const JOB_MID = 3072;
export const JOB_W = JOB_MID + 32;
export const JOB_T0 = JOB_W + 64;
export const OUT_OFF = 3200;
const V = 16;
const ROUNDS_PER_ITER = 8;

interface Locals {
  readonly lo: number; readonly n: number; readonly i: number; readonly t: number; readonly p: number;
  readonly s: number[]; readonly t1: number; readonly t2: number; readonly x: number; readonly t0: number;
}

function rotr(b: Body, x: number, n: number): void {
  b.get(x).i32(n).shrU().get(x).i32(32 - n).shl().or();
}

/** Σ/σ: rotr(x, r1) ^ rotr(x, r2) ^ (rotr or shr)(x, r3). */
function sigma(b: Body, x: number, r1: number, r2: number, r3: number, lastIsShift: boolean): void {
  rotr(b, x, r1);
  rotr(b, x, r2);
  b.xor();
  if (lastIsShift) b.get(x).i32(r3).shrU();
  else rotr(b, x, r3);
  b.xor();
}

/** W[t] = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16] for t = 16..63, as a loop. */
function schedule(b: Body, L: Locals, w: number): void {
  b.i32(16 * V).set(L.p).loop();
  b.get(L.p);
  b.get(L.p).v128Load(w - 2 * V).set(L.x);
  sigma(b, L.x, 17, 19, 10, true);
  b.get(L.p).v128Load(w - 7 * V).add();
  b.get(L.p).v128Load(w - 15 * V).set(L.x);
  sigma(b, L.x, 7, 18, 3, true);
  b.add();
  b.get(L.p).v128Load(w - 16 * V).add();
  b.v128Store(w);
  b.get(L.p).i32(V).i32Add().tee(L.p).i32(64 * V).i32LtU().brIf(0);
  b.end();
}

/** One round on names n = [a..h]; the K+W operands are loaded at address `addr` + offsets. */
function round(b: Body, L: Locals, n: number[], kw: (b: Body) => void): void {
  const [a, c0, c1, d, e, f, g, h] = n as [number, number, number, number, number, number, number, number];
  b.get(h);
  sigma(b, e, 6, 11, 25, false);
  b.add();
  b.get(f).get(g).get(e).bitselect().add();
  kw(b);
  b.set(L.t1);
  sigma(b, a, 2, 13, 22, false);
  b.get(c0).get(a).get(a).get(c1).xor().bitselect().add().set(L.t2);
  b.get(d).get(L.t1).add().set(d);
  b.get(L.t1).get(L.t2).add().set(h);
}

const rotate = (n: number[]): number[] => [n[7]!, ...n.slice(0, 7)];

/** Rounds [from, 64) over schedule w: straight-line up to a multiple of 8, then a loop. */
function rounds(b: Body, L: Locals, w: number, from: number): void {
  let n = L.s.slice();
  let t = from;
  for (; t % ROUNDS_PER_ITER !== 0; t++) {
    const tt = t;
    round(b, L, n, (bb) => { bb.i32(0).v128Load(K_OFF + tt * V).add().i32(0).v128Load(w + tt * V).add(); });
    n = rotate(n);
  }
  b.i32(t * V).set(L.p).loop();
  for (let r = 0; r < ROUNDS_PER_ITER; r++) {
    round(b, L, n, (bb) => { bb.get(L.p).v128Load(K_OFF + r * V).add().get(L.p).v128Load(w + r * V).add(); });
    n = rotate(n);
  }
  b.get(L.p).i32(ROUNDS_PER_ITER * V).i32Add().tee(L.p).i32(64 * V).i32LtU().brIf(0);
  b.end();
  // n is back to the entry rotation after whole iterations; rename to the canonical order.
  if (n.some((x, k) => x !== L.s[k])) {
    for (let k = 0; k < 8; k++) b.get(n[k]!);
    for (let k = 7; k >= 0; k--) b.set(L.s[k]!);
  }
}

function searchBody(): Body {
  const b = new Body(2);
  const L: Locals = {
    lo: 0, n: 1, i: b.local(I32), t: b.local(I32), p: b.local(I32),
    s: Array.from({ length: 8 }, () => b.local(V128)), t1: b.local(V128), t2: b.local(V128), x: b.local(V128), t0: b.local(V128),
  };
  for (let t = 0; t < 16; t++) if (t !== 9) b.i32(0).i32(0).load32Splat(JOB_W + 4 * t).v128Store(W1_OFF + t * V);
  for (let t = 8; t < 16; t++) b.i32(0).v128Const(Array(4).fill(t === 8 ? PAD_BIT_WORD : t === 15 ? MSG2_BITS : 0)).v128Store(W2_OFF + t * V);
  b.i32(0).load32Splat(JOB_T0).set(L.t0);
  b.loop();
  b.get(L.i).get(L.n).i32GeU().if().i32(-1).ret().end();
  b.i32(0).get(L.lo).get(L.i).i32Add().splat().v128Const([0, 1, 2, 3]).add().v128Store(W1_OFF + 9 * V);
  schedule(b, L, W1_OFF);
  for (let k = 0; k < 8; k++) b.i32(0).load32Splat(JOB_MID + 4 * k).set(L.s[k]!);
  rounds(b, L, W1_OFF, 9);
  for (let k = 0; k < 8; k++) b.i32(0).get(L.s[k]!).v128Const(Array(4).fill(IV256[k]!)).add().v128Store(W2_OFF + k * V);
  schedule(b, L, W2_OFF);
  for (let k = 0; k < 8; k++) b.v128Const(Array(4).fill(IV256[k]!)).set(L.s[k]!);
  rounds(b, L, W2_OFF, 0);
  for (let k = 0; k < 8; k++) b.i32(0).get(L.s[k]!).v128Const(Array(4).fill(IV256[k]!)).add().v128Store(OUT_OFF + k * V);
  b.i32(0).v128Load(OUT_OFF).get(L.t0).leU().anyTrue().if().get(L.i).ret().end();
  b.get(L.i).i32(LANES).i32Add().set(L.i);
  b.br(0);
  b.end();
  b.i32(-1);
  return b;
}

/** The module bytes (deterministic). */
export function sha256WasmModule(): Uint8Array {
  return encodeModule(1, [{ name: 'search', params: [I32, I32], results: [I32], body: searchBody() }]);
}
