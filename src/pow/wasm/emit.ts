/**
 * A tiny WebAssembly binary writer: just what the sealing kernel needs (one memory, i32 and
 * v128 locals, structured control flow, the SIMD subset below). Opcodes follow the WebAssembly
 * core spec 2.0 (§5.4 instructions, SIMD prefix 0xfd).
 */
export const I32 = 0x7f;
export const V128 = 0x7b;
type ValType = typeof I32 | typeof V128;

const SIMD = 0xfd;
/** log2 of the natural alignment of an i32 and a v128 access (memarg align field). */
const ALIGN_I32 = 2;
const ALIGN_V128 = 4;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  let x = n | 0;
  for (;;) {
    const b = x & 0x7f;
    x >>= 7;
    if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

/** Instruction emitter for one function body; locals are declared up front by type. */
export class Body {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(private readonly params: number) {}

  local(type: ValType): number {
    this.locals.push(type);
    return this.params + this.locals.length - 1;
  }

  private op(...b: number[]): this { this.code.push(...b); return this; }
  private simd(opcode: number, ...imm: number[]): this { return this.op(SIMD, ...uleb(opcode), ...imm); }

  get(i: number): this { return this.op(0x20, ...uleb(i)); }
  set(i: number): this { return this.op(0x21, ...uleb(i)); }
  tee(i: number): this { return this.op(0x22, ...uleb(i)); }
  i32(n: number): this { return this.op(0x41, ...sleb(n)); }
  i32Add(): this { return this.op(0x6a); }
  i32Shl(): this { return this.op(0x74); }
  i32LtU(): this { return this.op(0x49); }
  i32GeU(): this { return this.op(0x4f); }
  i32Load(offset: number): this { return this.op(0x28, ...uleb(ALIGN_I32), ...uleb(offset)); }
  block(): this { return this.op(0x02, 0x40); }
  loop(): this { return this.op(0x03, 0x40); }
  if(): this { return this.op(0x04, 0x40); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { return this.op(0x0c, ...uleb(depth)); }
  brIf(depth: number): this { return this.op(0x0d, ...uleb(depth)); }
  ret(): this { return this.op(0x0f); }

  v128Load(offset: number): this { return this.simd(0x00, ...uleb(ALIGN_V128), ...uleb(offset)); }
  v128Store(offset: number): this { return this.simd(0x0b, ...uleb(ALIGN_V128), ...uleb(offset)); }
  load32Splat(offset: number): this { return this.simd(0x09, ...uleb(ALIGN_I32), ...uleb(offset)); }
  v128Const(lanes: readonly number[]): this {
    const b: number[] = [];
    for (const x of lanes) b.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff);
    return this.simd(0x0c, ...b);
  }
  splat(): this { return this.simd(0x11); }
  leU(): this { return this.simd(0x3e); }
  and(): this { return this.simd(0x4e); }
  or(): this { return this.simd(0x50); }
  xor(): this { return this.simd(0x51); }
  bitselect(): this { return this.simd(0x52); }
  anyTrue(): this { return this.simd(0x53); }
  shl(): this { return this.simd(0xab); }
  shrU(): this { return this.simd(0xad); }
  add(): this { return this.simd(0xae); }

  /** The encoded body: local declarations (runs of one type) then the code and `end`. */
  encode(): number[] {
    const runs: number[][] = [];
    for (const t of this.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]!++;
      else runs.push([1, t]);
    }
    const body = [...vec(runs.map(([n, t]) => [...uleb(n!), t!])), ...this.code, 0x0b];
    return [...uleb(body.length), ...body];
  }
}

export interface FuncDef {
  readonly name: string;
  readonly params: ValType[];
  readonly results: ValType[];
  readonly body: Body;
}

/** A module with one exported memory of `pages` 64 KiB pages and the exported functions. */
export function encodeModule(pages: number, funcs: readonly FuncDef[]): Uint8Array {
  const section = (id: number, payload: number[]): number[] => [id, ...uleb(payload.length), ...payload];
  const types = vec(funcs.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]));
  const funcsec = vec(funcs.map((_, i) => uleb(i)));
  const memory = vec([[0x00, ...uleb(pages)]]);
  const exports = vec([[...name('memory'), 0x02, 0x00], ...funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])]);
  const code = vec(funcs.map((f) => f.body.encode()));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(3, funcsec), ...section(5, memory), ...section(7, exports), ...section(10, code),
  ]);
}
