#!/usr/bin/env node
/**
 * Generates src/pow/sha256/jsUnrolled.ts: the doublesha256 JS kernel's hot function, fully
 * unrolled with schedule words in locals and every job-constant or literal term folded.
 * Run `node scripts/gen-sha256-js.mjs` after editing; test/unit/pow/generated.test.ts checks
 * the committed file matches and that doubleSha stays under V8's ~60 KB bytecode limit for
 * optimisation (above it, it silently runs ~70× slower).
 *
 * What made it faster (each A/B-measured; see the commit log): the optimised doubleSha is
 * ~5000 x64 instructions per nonce and its speed tracks that count (reg-reg copies and spill
 * loads/stores included) more than the length of the dependency chain, so
 * - Σ0/Σ1/σ0/σ1 are nested (ror(ror(ror(x, 9) ^ x, 11) ^ x, 2) = Σ0(x)): x86 ror overwrites
 *   its operand, so each flat rotate needs a copy, and the nested form frees registers;
 * - constants (literals and per-job values, round 9 of block 1 and the first rounds of block 2
 *   included) are folded, and per-job ones live in a module-level Int32Array, whose address and
 *   length TurboFan embeds: no bounds checks, loads become memory operands;
 * - only the first digest word is computed (the last round's e is dead); the caller recomputes
 *   the whole digest in the rare case that word passes;
 * - in t1 and the new a, Σ1(e) and Σ0(a) are added last.
 * Tried and dropped (slower): the nonce loop inside the generated function (with or without the
 * constants hoisted into locals), adding Σ1(e) separately to the new e and to t1, flat forms.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
/** Rounds 0..8 of block 1 read only the seal hash and the nonce high word: jsKernel.ts runs them per job. */
const FIRST_ROUND = 9;

const rotr = (x, n) => ((x >>> n) | (x << (32 - n))) | 0;
/** Numeric forms, for folding literals. */
const NUM = {
  S0: (x) => rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22),
  S1: (x) => rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25),
  s0: (x) => rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3),
  s1: (x) => rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10),
  ch: (e, f, g) => g ^ (e & (f ^ g)),
  maj: (a, b, c) => (a & b) | (c & (a | b)),
  xor: (x, y) => x ^ y,
};
const lit = (x) => String(x | 0);

const rot = (v, n) => `((${v} >>> ${n}) | (${v} << ${32 - n}))`;
/** JS forms over simple operands (names, literals), for prepareJob (not hot). */
const FLAT = {
  S0: (v) => `(${rot(v, 2)} ^ ${rot(v, 13)} ^ ${rot(v, 22)})`,
  S1: (v) => `(${rot(v, 6)} ^ ${rot(v, 11)} ^ ${rot(v, 25)})`,
  s0: (v) => `(${rot(v, 7)} ^ ${rot(v, 18)} ^ (${v} >>> 3))`,
  s1: (v) => `(${rot(v, 17)} ^ ${rot(v, 19)} ^ (${v} >>> 10))`,
  ch: (e, f, g) => `(${g} ^ (${e} & (${f} ^ ${g})))`,
  maj: (a, b, c) => `((${a} & ${b}) | (${c} & (${a} | ${b})))`,
  xor: (x, y) => `(${x} ^ ${y})`,
};

/**
 * Per-nonce sigmas, nested through the scratch local `s`: `pre` (statements setting s) then
 * `expr`. ror(ror(ror(x, r1) ^ x, r2) ^ x, r3) = ror(x, r3) ^ ror(x, r2 + r3) ^ ror(x, r1 + r2 + r3).
 */
const nested3 = (v, r1, r2, r3) => ({ pre: `s = ${rot(v, r1)} ^ ${v}; s = ${rot('s', r2)} ^ ${v};`, expr: rot('s', r3) });
const nested2 = (v, r1, r2, sh) => ({ pre: `s = ${rot(v, r1)} ^ ${v};`, expr: `(${rot('s', r2)} ^ (${v} >>> ${sh}))` });
const DYN = {
  S0: (v) => nested3(v, 9, 11, 2),
  S1: (v) => nested3(v, 14, 5, 6),
  s0: (v) => nested2(v, 11, 7, 3),
  s1: (v) => nested2(v, 2, 17, 10),
};

/**
 * Values: `{ c: true, n }` a literal, `{ c: true, prep }` a per-job constant (a local of
 * prepareJob, stored in a slot of P when the hot function needs it), `{ js }` a per-nonce local.
 */
class Gen {
  constructor() {
    this.prep = [];
    this.prepN = 0;
    this.slots = new Map();
    this.nSlots = 0;
    this.body = [];
  }
  num(n) { return { c: true, n: n | 0 }; }
  /** A per-job constant computed by `expr` (JS over prepareJob locals). */
  local(expr) {
    const name = `k${this.prepN++}`;
    this.prep.push(`const ${name} = (${expr}) | 0;`);
    return { c: true, prep: name };
  }
  /** JS of a constant as seen per nonce: a literal or a slot of P. */
  cjs(v) {
    if ('n' in v) return lit(v.n);
    let k = this.slots.get(v.prep);
    if (k === undefined) {
      k = this.nSlots++;
      this.slots.set(v.prep, k);
      this.prep.push(`P[${k}] = ${v.prep};`);
    }
    return `P[${k}]!`;
  }
  js(v) { return v.c ? this.cjs(v) : v.js; }
  pjs(v) { return 'n' in v ? lit(v.n) : v.prep; }
  /** NUM/FLAT function f of constants: a literal, or a new per-job local. */
  cop(f, ...vs) {
    if (vs.every((v) => 'n' in v)) return this.num(NUM[f](...vs.map((v) => v.n)));
    return this.local(FLAT[f](...vs.map((v) => this.pjs(v))));
  }
  cadd(vs) {
    const lits = vs.filter((v) => 'n' in v).reduce((s, v) => (s + v.n) | 0, 0);
    const preps = vs.filter((v) => !('n' in v));
    if (preps.length === 0) return this.num(lits);
    if (preps.length === 1 && lits === 0) return preps[0];
    return this.local([...preps.map((v) => v.prep), ...(lits ? [lit(lits)] : [])].join(' + '));
  }
  /** JS sum: per-nonce terms, then the constants merged into one, then the `last` terms. */
  sum(dyn, consts, last = []) {
    const c = this.cadd(consts);
    const terms = [...dyn, ...('n' in c && c.n === 0 ? [] : [this.cjs(c)]), ...last];
    return `(${terms.join(' + ')}) | 0`;
  }
  emit(line) { this.body.push(`  ${line}`); }
  /** prepareJob's lines, without the locals that no slot depends on. */
  prepLines() {
    const used = new Set();
    const keep = [];
    for (let i = this.prep.length - 1; i >= 0; i--) {
      const l = this.prep[i];
      const m = /^const (k\d+) = /.exec(l);
      if (m && !used.has(m[1])) continue;
      for (const r of l.slice(m ? m[0].length : 0).match(/k\d+/g) ?? []) used.add(r);
      keep.push(l);
    }
    return keep.reverse();
  }
}

/**
 * The message schedule of one block: W[0..15] given as values; W[16..63] become constants
 * when all their inputs are, else per-nonce locals `${v}${t}` with their constant terms merged.
 * Returns a function emitting W_t's definition (if per nonce) just before round t uses it.
 */
function schedule(g, W, v) {
  const defs = [];
  for (let t = 16; t < 64; t++) {
    const terms = [['s1', W[t - 2]], ['id', W[t - 7]], ['s0', W[t - 15]], ['id', W[t - 16]]];
    const consts = terms.filter(([, x]) => x.c).map(([f, x]) => (f === 'id' ? x : g.cop(f, x)));
    if (consts.length === 4) { W.push(g.cadd(consts)); continue; }
    const pre = [];
    const dyn = terms.filter(([, x]) => !x.c).map(([f, x]) => {
      if (f === 'id') return x.js;
      const d = DYN[f](x.js);
      pre.push(d.pre);
      return d.expr;
    });
    // One nested sigma per statement (they share `s`): the first of two goes through `u`.
    const lines = [];
    if (pre.length === 2) {
      lines.push(pre.shift(), `u = ${dyn[0]};`);
      dyn[0] = 'u';
    }
    lines.push(...pre, `const ${v}${t} = ${g.sum(dyn, consts)};`);
    defs[t] = lines;
    W.push({ js: `${v}${t}` });
  }
  return (t) => { for (const l of defs[t] ?? []) g.emit(l); };
}

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/**
 * Rounds [from, 64) from the state values st; the locals' names rotate instead of values
 * moving. Constant state (the start of each block) folds until per-nonce words reach it.
 * Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and this round's a ^ b is the next round's b ^ c.
 * With `onlyA`, the last round's e (dead when only the first digest word is wanted) is skipped.
 */
function rounds(g, st, W, emitW, from, onlyA) {
  let n = NAMES.slice();
  let bc = st[1].c && st[2].c ? g.cop('xor', st[1], st[2]) : null;
  if (!bc) { g.emit(`bc = ${g.js(st[1])} ^ ${g.js(st[2])};`); bc = { js: 'bc' }; }
  for (let t = from; t < 64; t++) {
    emitW(t);
    const [a, b, c, d, e, f, gg, h] = st;
    // t1 = h + W + Ch(e, f, g) + K + Σ1(e): per-nonce terms, constants, then Σ1 last.
    const consts = [g.num(K[t])];
    const dyn = [];
    const last1 = [];
    for (const v of [h, W[t]]) (v.c ? consts.push(v) : dyn.push(v.js));
    if (e.c) {
      consts.push(g.cop('S1', e));
      if (f.c && gg.c) consts.push(g.cop('ch', e, f, gg));
      else dyn.push(FLAT.ch(g.js(e), g.js(f), g.js(gg)));
    } else {
      const s1 = DYN.S1(e.js);
      g.emit(s1.pre);
      dyn.push(f.c && gg.c ? `(${g.js(gg)} ^ (${e.js} & ${g.cjs(g.cop('xor', f, gg))}))` : FLAT.ch(e.js, g.js(f), g.js(gg)));
      last1.push(s1.expr);
    }
    if (dyn.length + last1.length === 0) throw new Error(`round ${t}: t1 is constant`);
    const skipE = onlyA && t === 63;
    const ne = n[3], na = n[7];
    // new e = d + t1; with d constant, t1's constants are merged with d instead.
    const aConsts = [];
    if (d.c) {
      g.emit(`t1 = ${g.sum(dyn, [], last1)};`);
      if (!skipE) g.emit(`${ne} = ${g.sum(['t1'], [d, ...consts])};`);
      aConsts.push(...consts);
    } else {
      g.emit(`t1 = ${g.sum(dyn, consts, last1)};`);
      if (!skipE) g.emit(`${ne} = (${d.js} + t1) | 0;`);
    }
    // new a = t1 + Maj(a, b, c) + Σ0(a).
    const aDyn = ['t1'];
    const last0 = [];
    let ab;
    if (a.c && b.c && c.c) {
      aConsts.push(g.cop('S0', a), g.cop('maj', a, b, c));
      ab = g.cop('xor', a, b);
    } else {
      if (a.c) aConsts.push(g.cop('S0', a));
      else { const s0 = DYN.S0(a.js); g.emit(s0.pre); last0.push(s0.expr); }
      g.emit(`ab = ${g.js(a)} ^ ${g.js(b)};`);
      aDyn.push(`(${g.js(b)} ^ (ab & ${g.js(bc)}))`);
      ab = { js: 'ab' };
    }
    g.emit(`${na} = ${g.sum(aDyn, aConsts, last0)};`);
    if (!ab.c && t < 63) g.emit('bc = ab;');
    bc = ab.c ? ab : { js: 'bc' };
    st = [{ js: na }, a, b, c, skipE ? null : { js: ne }, e, f, gg];
    n = [na, n[0], n[1], n[2], ne, n[4], n[5], n[6]];
  }
  return st;
}

function generate() {
  const g = new Gen();
  // Block 1: the state after round 8 and W0..W8 per job, W9 = nonce low word, W10..15 padding.
  const mid = NAMES.map((_, i) => g.local(`mid[${i}]!`));
  const W1 = [];
  for (let i = 0; i < 9; i++) W1.push(g.local(`j[${i}]!`));
  W1.push({ js: 'lo' }, g.num(0x80000000), g.num(0), g.num(0), g.num(0), g.num(0), g.num(320));
  const fin1 = rounds(g, mid, W1, schedule(g, W1, 'x'), FIRST_ROUND, false);
  // Block 2: the first digest, then padding for 32 bytes; its state starts at the literal IV.
  const W2 = fin1.map((v, i) => { g.emit(`const m${i} = (${g.js(v)} + ${lit(IV[i])}) | 0;`); return { js: `m${i}` }; });
  W2.push(g.num(0x80000000), g.num(0), g.num(0), g.num(0), g.num(0), g.num(0), g.num(0), g.num(256));
  const fin2 = rounds(g, IV.map((x) => g.num(x)), W2, schedule(g, W2, 'y'), 0, true);

  const out = [];
  out.push('// GENERATED by scripts/gen-sha256-js.mjs — do not edit; run the script instead.');
  out.push('/* eslint-disable */');
  out.push('/**');
  out.push(' * Fully unrolled doublesha256 of the 40-byte seal message. `prepareJob` fills P, per job and');
  out.push(' * nonce high word, from the seal hash and nonce high words j[0..8] and the state after rounds');
  out.push(' * 0..8 (mid): every term that does not depend on the nonce low word (round 9 included) is');
  out.push(' * folded into one slot. `doubleSha` returns only the first word of the final digest (the one');
  out.push(' * compared with the target first); the caller recomputes the whole digest when it passes.');
  out.push(' *');
  out.push(' * P is module-level so that TurboFan embeds its address and length: no bounds checks. It is');
  out.push(' * shared by every kernel of a thread, which is safe because a search is synchronous and calls');
  out.push(' * prepareJob before hashing.');
  out.push(' */');
  out.push(`const P = new Int32Array(${g.nSlots});`);
  out.push('');
  out.push('export function prepareJob(j: Int32Array, mid: Int32Array): void {');
  for (const l of g.prepLines()) out.push(`  ${l}`);
  out.push('}');
  out.push('');
  out.push('export function doubleSha(lo: number): number {');
  out.push('  let a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0, t1 = 0, ab = 0, bc = 0, s = 0, u = 0;');
  out.push(...g.body);
  out.push(`  return (${fin2[0].js} + ${lit(IV[0])}) | 0;`);
  out.push('}');
  out.push('');
  return out.join('\n');
}

export { generate };

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = new URL('../src/pow/sha256/jsUnrolled.ts', import.meta.url);
  writeFileSync(target, generate());
  process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
}
