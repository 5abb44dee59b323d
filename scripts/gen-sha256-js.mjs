#!/usr/bin/env node
/**
 * Generates src/pow/sha256/jsUnrolled.ts: the doublesha256 JS kernel's hot functions, fully
 * unrolled with schedule words in locals and every job-constant or literal term folded.
 * Run `node scripts/gen-sha256-js.mjs` after editing; test/unit/pow/jsGenerated.test.ts checks
 * the committed file matches. Two functions (block 1, block 2) keep each under V8's ~60 KB
 * bytecode limit for optimisation.
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
const rotr = (x, n) => ((x >>> n) | (x << (32 - n))) >>> 0;
const s0n = (x) => (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) >>> 0;
const s1n = (x) => (rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10)) >>> 0;
const lit = (x) => String(x | 0);

const rot = (v, n) => `((${v} >>> ${n}) | (${v} << ${32 - n}))`;
const s0 = (v) => `(${rot(v, 7)} ^ ${rot(v, 18)} ^ (${v} >>> 3))`;
const s1 = (v) => `(${rot(v, 17)} ^ ${rot(v, 19)} ^ (${v} >>> 10))`;
const S0 = (v) => `(${rot(v, 2)} ^ ${rot(v, 13)} ^ ${rot(v, 22)})`;
const S1 = (v) => `(${rot(v, 6)} ^ ${rot(v, 11)} ^ ${rot(v, 25)})`;

/**
 * A schedule word: `lit` (known number), `pre` (slot in the per-job array p), or `dyn`
 * (a local variable computed per nonce, with an optional constant addend).
 */
function schedule(initial) {
  const W = initial.slice();
  for (let t = 16; t < 64; t++) {
    const parts = [['s1', W[t - 2]], ['id', W[t - 7]], ['s0', W[t - 15]], ['id', W[t - 16]]];
    W[t] = { t, parts };
  }
  return W;
}

/** Block 1 words: 0..8 per job, 9 = nonce low (dyn), 10..15 literal padding. */
function block1() {
  const W = [];
  for (let i = 0; i < 9; i++) W.push({ kind: 'job', i });
  W.push({ kind: 'dyn', name: 'lo' });
  W.push({ kind: 'lit', v: 0x80000000 }, { kind: 'lit', v: 0 }, { kind: 'lit', v: 0 }, { kind: 'lit', v: 0 }, { kind: 'lit', v: 0 }, { kind: 'lit', v: 320 });
  return W;
}

/** Block 2 words: 0..7 first digest (dyn), 8..15 literal padding. */
function block2() {
  const W = [];
  for (let i = 0; i < 8; i++) W.push({ kind: 'dyn', name: `m${i}` });
  W.push({ kind: 'lit', v: 0x80000000 });
  for (let i = 9; i < 15; i++) W.push({ kind: 'lit', v: 0 });
  W.push({ kind: 'lit', v: 256 });
  return W;
}

/**
 * Classifies every word 16..63 as constant (computable per job) or dynamic, and produces
 * per-job code (`prep`, reading job words j[0..8] and writing slots p[k]) and per-nonce
 * expressions. Returns for each t: { kind, expr (per-nonce JS for W_t), kw (JS for K_t + W_t) }.
 */
function plan(W, slotBase, v) {
  let slot = slotBase;
  const prep = [];
  const out = [];
  const jsConst = (w) => (w.kind === 'lit' ? lit(w.v) : w.kind === 'job' ? `j[${w.i}]` : `c${w.t}`);
  for (let t = 0; t < 64; t++) {
    const w = W[t];
    if (t < 16) {
      if (w.kind === 'dyn') out.push({ kind: 'dyn', expr: w.name, kw: `${lit(K[t])} + ${w.name}` });
      else if (w.kind === 'lit') out.push({ kind: 'lit', v: w.v >>> 0, kw: lit((K[t] + w.v) >>> 0) });
      else { const k = slot++; prep.push(`p[${k}] = (${lit(K[t])} + j[${w.i}]) | 0;`); out.push({ kind: 'job', i: w.i, kw: `p[${k}]` }); }
      continue;
    }
    const terms = w.parts.map(([f, src], n) => ({ f, src: out[t - [2, 7, 15, 16][n]], srcT: t - [2, 7, 15, 16][n] }));
    const isConst = (x) => x.src.kind !== 'dyn';
    const litVal = (x) => (x.f === 's1' ? s1n(x.src.v) : x.f === 's0' ? s0n(x.src.v) : x.src.v);
    const constJs = (x) => {
      const v = x.src.kind === 'lit' ? lit(x.src.v) : x.src.kind === 'job' ? `j[${x.src.i}]` : `c${x.srcT}`;
      return x.f === 'id' ? v : x.f === 's0' ? s0(v) : s1(v);
    };
    if (terms.every(isConst)) {
      if (terms.every((x) => x.src.kind === 'lit')) {
        const v = terms.reduce((acc, x) => (acc + litVal(x)) >>> 0, 0);
        out.push({ kind: 'lit', v, kw: lit((K[t] + v) >>> 0) });
      } else {
        const k = slot++;
        prep.push(`const c${t} = (${terms.map(constJs).join(' + ')}) | 0;`);
        prep.push(`p[${k}] = (${lit(K[t])} + c${t}) | 0;`);
        out.push({ kind: 'pre', t, kw: `p[${k}]` });
      }
      continue;
    }
    const dynJs = (x) => {
      const name = x.src.expr ?? `${v}${x.srcT}`;
      return x.f === 'id' ? name : x.f === 's0' ? s0(name) : s1(name);
    };
    const dyn = terms.filter((x) => !isConst(x)).map(dynJs);
    const consts = terms.filter(isConst);
    let addend = '';
    if (consts.length) {
      if (consts.every((x) => x.src.kind === 'lit')) {
        const v = consts.reduce((acc, x) => (acc + litVal(x)) >>> 0, 0);
        if (v !== 0) addend = lit(v);
      } else {
        const k = slot++;
        prep.push(`p[${k}] = (${consts.map(constJs).join(' + ')}) | 0;`);
        addend = `p[${k}]`;
      }
    }
    const expr = [...dyn, ...(addend ? [addend] : [])].join(' + ');
    out.push({ kind: 'dyn', expr: `${v}${t}`, def: `const ${v}${t} = (${expr}) | 0;`, kw: `${lit(K[t])} + ${v}${t}` });
  }
  return { prep, words: out, slots: slot };
}

const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
/** Unrolled rounds [from, 64) with names rotating instead of values moving. */
function roundsCode(words, from) {
  const lines = [];
  let n = NAMES.slice();
  // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)); this round's a ^ b is the next round's b ^ c.
  lines.push(`  bc = ${n[1]} ^ ${n[2]};`);
  for (let t = from; t < 64; t++) {
    const w = words[t];
    if (w.def) lines.push(`  ${w.def}`);
    const [a, b, c, d, e, f, g, h] = n;
    lines.push(`  t1 = (${h} + ${S1(e)} + (${g} ^ (${e} & (${f} ^ ${g}))) + ${w.kw}) | 0;`);
    lines.push(`  ab = ${a} ^ ${b}; ${d} = (${d} + t1) | 0; ${h} = (t1 + ${S0(a)} + (${b} ^ (ab & bc))) | 0; bc = ab;`);
    n = [h, a, b, c, d, e, f, g];
  }
  return { lines, names: n };
}

function generate() {
  const p1 = plan(schedule(block1()), 8, 'x');
  const p2 = plan(schedule(block2()), 0, 'y');
  if (p2.prep.length) throw new Error('block 2 must fold to literals');
  const r1 = roundsCode(p1.words, 9);
  const r2 = roundsCode(p2.words, 0);
  const out = [];
  out.push('// GENERATED by scripts/gen-sha256-js.mjs — do not edit; run the script instead.');
  out.push('/* eslint-disable */');
  out.push('/**');
  out.push(' * Fully unrolled doublesha256 of the 40-byte seal message. `prepareJob` fills the per-job');
  out.push(' * array p (state after rounds 0..8 in p[0..7], then folded schedule constants) from the seal');
  out.push(' * hash words j[0..7] and the nonce high word j[8]; `block1` hashes one nonce low word into');
  out.push(' * out[0..7]; `block2` hashes out[0..7] (the first digest) in place into the final digest.');
  out.push(' */');
  out.push(`export const PREP_SLOTS = ${p1.slots};`);
  out.push('');
  out.push('export function prepareJob(j: Int32Array, p: Int32Array, mid: Int32Array): void {');
  out.push('  p.set(mid, 0);');
  for (const l of p1.prep) out.push(`  ${l}`);
  out.push('}');
  out.push('');
  out.push('export function doubleSha(p: Int32Array, lo: number, out: Int32Array): number {');
  out.push('  let a = p[0]!, b = p[1]!, c = p[2]!, d = p[3]!, e = p[4]!, f = p[5]!, g = p[6]!, h = p[7]!;');
  out.push('  let t1 = 0, ab = 0, bc = 0;');
  out.push(...r1.lines.map((l) => l.replace(/p\[(\d+)\]/g, 'p[$1]!')));
  r1.names.forEach((nm, i) => out.push(`  const m${i} = (${nm} + ${lit(IV[i])}) | 0;`));
  out.push(`  ${NAMES.map((nm, i) => `${nm} = ${lit(IV[i])}`).join('; ')};`);
  out.push(...r2.lines);
  r2.names.forEach((nm, i) => { if (i > 0) out.push(`  out[${i}] = (${nm} + ${lit(IV[i])}) | 0;`); });
  out.push(`  return (${r2.names[0]} + ${lit(IV[0])}) | 0;`);
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
