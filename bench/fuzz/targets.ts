/**
 * Fuzz targets (issue "hostile load" item 4): every binary decoder a peer or a ring can reach,
 * and the JSON-RPC parameter parsers. Properties, checked with fast-check on random and mutated
 * inputs:
 * - a binary decoder either returns a value that re-encodes to exactly the input bytes (one
 *   encoding per object), or throws a ChainError of class `invalid`: never a raw TypeError or
 *   RangeError, never `internal`;
 * - an RPC parameter parser returns a value of its type, or throws an RpcError in −32600…−32699.
 * Used by `bench/fuzz.ts` (100,000 inputs by default) and by a short run in `npm test`.
 */
import fc from 'fast-check';
import type { Bytes } from '../../src/core/bytes.js';
import { ChainError } from '../../src/core/errors.js';
import { decodeDepositList, encodeDepositList, type Deposit } from '../../src/core/deposit.js';
import { decodeMinorBlock, decodeMinorHeader, encodeMinorBlock, encodeMinorHeader, type MinorBlock } from '../../src/core/minorBlock.js';
import { decodeRootBlock, decodeRootHeader, encodeRootBlock, encodeRootHeader, type RootBlock } from '../../src/core/rootBlock.js';
import { decodeTx, encodeTx } from '../../src/core/transaction.js';
import { decodeMessage, encodeMessage, type Message } from '../../src/p2p/messages.js';
import { RpcError } from '../../src/rpc/errors.js';
import { address, bool, data, height, id36, intOrQuantity, quantity, u32 } from '../../src/rpc/params.js';

/** Valid objects to mutate: a small real chain's blocks, transfers, deposits and P2P messages. */
export interface Samples {
  readonly minorBlocks: readonly MinorBlock[];
  readonly rootBlocks: readonly RootBlock[];
  readonly deposits: readonly Deposit[];
  readonly messages: readonly Message[];
}

export interface BinaryTarget {
  readonly name: string;
  readonly valid: readonly Bytes[];
  /** Decodes and re-encodes; throws what the decoder throws. */
  readonly roundTrip: (b: Bytes) => Bytes;
}

export function binaryTargets(s: Samples): BinaryTarget[] {
  const txs = s.minorBlocks.flatMap((b) => b.txs);
  const targets: BinaryTarget[] = [
    { name: 'transaction', valid: txs.map(encodeTx), roundTrip: (b) => encodeTx(decodeTx(b)) },
    { name: 'minor header', valid: s.minorBlocks.map((b) => encodeMinorHeader(b.header)), roundTrip: (b) => encodeMinorHeader(decodeMinorHeader(b)) },
    { name: 'minor block', valid: s.minorBlocks.map(encodeMinorBlock), roundTrip: (b) => encodeMinorBlock(decodeMinorBlock(b)) },
    { name: 'root header', valid: s.rootBlocks.map((b) => encodeRootHeader(b.header)), roundTrip: (b) => encodeRootHeader(decodeRootHeader(b)) },
    { name: 'root block', valid: s.rootBlocks.map(encodeRootBlock), roundTrip: (b) => encodeRootBlock(decodeRootBlock(b)) },
    { name: 'deposit list', valid: [encodeDepositList(s.deposits), encodeDepositList([])], roundTrip: (b) => encodeDepositList(decodeDepositList(b)) },
    { name: 'p2p message', valid: s.messages.map(encodeMessage), roundTrip: (b) => encodeMessage(decodeMessage(b)) },
  ];
  return targets.filter((t) => t.valid.length > 0);
}

/** A mutation of a valid encoding: flipped, overwritten, inserted and deleted bytes, truncation, extension. */
function mutated(valid: readonly Bytes[]): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.tuple(fc.constantFrom(...valid), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([v, edits]) => {
    let b = Uint8Array.from(v);
    for (const e of edits) {
      const at = b.length === 0 ? 0 : e.at % (b.length + 1);
      if (e.kind === 'set' && at < b.length) b[at] = e.byte;
      else if (e.kind === 'flip' && at < b.length) b[at]! ^= 1 << e.bit;
      else if (e.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...e.bytes, ...b.subarray(at)]);
      else if (e.kind === 'delete') b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + e.count)]);
      else if (e.kind === 'truncate') b = b.slice(0, at);
    }
    return b;
  });
}

/** Inputs for a binary target: mostly mutations of valid encodings, some valid ones, some random bytes. */
export function binaryInputs(t: BinaryTarget): fc.Arbitrary<Uint8Array> {
  const maxLen = Math.max(...t.valid.map((v) => v.length)) * 2;
  return fc.oneof(
    { weight: 8, arbitrary: mutated(t.valid) },
    { weight: 1, arbitrary: fc.constantFrom(...t.valid).map((v) => Uint8Array.from(v)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: Math.min(maxLen, 4096) }) },
  );
}

/** What the binary property says of one input; a string describes a violation. */
export function checkBinary(t: BinaryTarget, input: Uint8Array): 'decoded' | 'refused' | string {
  let out: Bytes;
  try {
    out = t.roundTrip(input);
  } catch (e) {
    if (!(e instanceof ChainError)) return `${t.name}: raw ${e instanceof Error ? e.name : typeof e}: ${String(e)}`;
    if (e.cls !== 'invalid') return `${t.name}: ${e.cls} error ${e.code}: ${e.message}`;
    return 'refused';
  }
  if (out.length !== input.length || out.some((x, i) => x !== input[i])) return `${t.name}: decoded, but re-encodes to other bytes`;
  return 'decoded';
}

export interface ParamTarget {
  readonly name: string;
  /** Parses, and checks the result's type; returns a violation description or null. */
  readonly parse: (v: unknown) => string | null;
}

const isBytes = (x: unknown, len?: number): boolean => x instanceof Uint8Array && (len === undefined || x.length === len);
const typed = (ok: boolean, name: string): string | null => (ok ? null : `${name}: returned a value of the wrong type`);

export const PARAM_TARGETS: readonly ParamTarget[] = [
  { name: 'quantity', parse: (v) => typed(typeof quantity(v, 'q') === 'bigint', 'quantity') },
  { name: 'u32', parse: (v) => { const n = u32(v, 'n'); return typed(Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'u32'); } },
  { name: 'intOrQuantity', parse: (v) => { const n = intOrQuantity(v, 'n'); return typed(Number.isSafeInteger(n), 'intOrQuantity'); } },
  { name: 'data', parse: (v) => typed(isBytes(data(v, 'd')), 'data') },
  { name: 'data32', parse: (v) => typed(isBytes(data(v, 'h', 32), 32), 'data32') },
  { name: 'address', parse: (v) => { const a = address(v); return typed(isBytes(a.recipient, 20) && Number.isInteger(a.fullShardKey), 'address'); } },
  { name: 'height', parse: (v) => { const h = height(v); return typed(h === null || (Number.isSafeInteger(h) && h >= 0), 'height'); } },
  { name: 'id36', parse: (v) => { const x = id36(v); return typed(isBytes(x.hash, 32) && Number.isInteger(x.key), 'id36'); } },
  { name: 'bool', parse: (v) => typed(typeof bool(v, 'b', false) === 'boolean', 'bool') },
];

/** JSON values a client might send: anything JSON, hex-looking strings of every length, numbers at the edges. */
export const paramInputs: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFxX-. '.split('')), maxLength: 90 }).map((s) => `0x${s}`),
  fc.uint8Array({ maxLength: 48 }).map((b) => `0x${Buffer.from(b).toString('hex')}`),
  fc.constantFrom('latest', 'pending', 'earliest', '0x', '0x0', '', null, true, -1, 2 ** 53, 1.5, Number.NaN),
);

/** What the parameter property says of one input. */
export function checkParam(t: ParamTarget, v: unknown): 'parsed' | 'refused' | string {
  try {
    return t.parse(v) ?? 'parsed';
  } catch (e) {
    if (e instanceof RpcError && e.code <= -32600 && e.code >= -32699) return 'refused';
    return `${t.name}(${JSON.stringify(v)}): threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}
