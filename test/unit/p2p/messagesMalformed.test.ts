/**
 * Malformed frames: each one is refused with its exact code, as an `invalid` error (the sender's
 * fault). Offsets follow the layouts in src/p2p/envelope.ts and src/p2p/messageBodies.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../src/core/errors.js';
import { MAX_HEADERS_PER_ROOT_BLOCK, MAX_TXS_PER_BLOCK } from '../../../src/core/limits.js';
import { MINOR_HEADER_LEN } from '../../../src/core/minorBlock.js';
import { ROOT_HEADER_LEN } from '../../../src/core/rootBlock.js';
import { TYPE_SPECS } from '../../../src/p2p/envelope.js';
import {
  MAX_DISCONNECT_TEXT_BYTES, MAX_FRAME_BYTES, MAX_ROOT_BLOCKS, MAX_ROOT_HEADERS, MAX_SHARD_BLOCKS, MAX_SHARD_HEADERS, MAX_SHARD_TIPS,
  MAX_CONSENSUS_PARAMS, MAX_PARAM_TEXT_BYTES,
} from '../../../src/p2p/limits.js';
import { decodeMessage, DECODE_ERROR_CODES, DISCONNECT_REASONS, encodeMessage, type MessageType } from '../../../src/p2p/messages.js';
import { patchU32, patchU64, UNSAFE_U64, withTrailingByte } from '../core/codecFixtures.js';
import { chainSample, S5, sampleMessages } from './fixtures.js';

const TYPES = Object.keys(TYPE_SPECS) as MessageType[];
/** type u8 | requestId u32 | shardId u32 */
const AFTER_TYPE = 1;
const AFTER_ID = 5;
const AFTER_ID_SHARD = 9;
/** HELLO: version, network, genesis hash, the consensus parameters (a list of two texts each), node id, then the port and the root tip. */
const HELLO_PARAMS = AFTER_TYPE + 4 + 4 + 32;
const utf8Len = (s: string): number => new TextEncoder().encode(s).length;
const PARAMS_LEN = 4 + (await chainSample()).params.reduce((n, p) => n + 4 + utf8Len(p.name) + 4 + utf8Len(p.value), 0);
const HELLO_PORT = HELLO_PARAMS + PARAMS_LEN + 32;
const HELLO_TIPS = HELLO_PORT + 4 + ROOT_HEADER_LEN;
/** Offset of `branch` in a minor header, of `height` in a root header. */
const MINOR_BRANCH = 4;
const ROOT_HEIGHT = 4;
const MINOR_META_LEN = 112;

function expectInvalid(frame: Uint8Array, code: string, what = ''): void {
  try {
    decodeMessage(frame);
  } catch (e) {
    assert.ok(e instanceof ChainError, `${what}: expected a ChainError, got ${String(e)}`);
    assert.equal(e.code, code, `${what}: ${e.message}`);
    assert.equal(e.cls, 'invalid', `${what}: a malformed frame is the sender's fault`);
    assert.ok(DECODE_ERROR_CODES.includes(e.code), `${e.code} is a documented decode code`);
    return;
  }
  assert.fail(`${what}: decoded`);
}

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

async function frames(): Promise<Record<MessageType, Uint8Array>> {
  const msgs = sampleMessages(await chainSample());
  return Object.fromEntries(TYPES.map((t) => [t, encodeMessage(msgs[t])])) as Record<MessageType, Uint8Array>;
}

test('p2p malformed: empty, unknown type, every truncation, trailing bytes', async () => {
  const f = await frames();
  expectInvalid(new Uint8Array(0), 'P2P_TRUNCATED', 'empty');
  for (const code of [0x00, 0x07, 0x0f, 0x1a, 0x7f, 0xff]) expectInvalid(bytes(code, 0, 0, 0, 1), 'P2P_UNKNOWN_TYPE', `type 0x${code.toString(16)}`);
  expectInvalid(Uint8Array.from([0x20, ...f.HELLO.subarray(1)]), 'P2P_UNKNOWN_TYPE', 'a valid body behind an unknown type');
  for (const t of TYPES) {
    for (let n = 0; n < f[t].length; n++) expectInvalid(f[t].subarray(0, n), 'P2P_TRUNCATED', `${t} cut at ${n}`);
    // GET_ROOT_BLOCKS and ROOT_BLOCKS may end with an optional bundle field (p2p/rootBundle.ts): a byte there is a field cut short.
    const optionalTail = t === 'GET_ROOT_BLOCKS' || t === 'ROOT_BLOCKS';
    expectInvalid(withTrailingByte(f[t]), optionalTail ? 'P2P_TRUNCATED' : 'P2P_TRAILING', `${t} + 1 byte`);
  }
});

test('p2p malformed: a frame over 16 MiB is refused before it is read; exactly 16 MiB is read', () => {
  const big = new Uint8Array(MAX_FRAME_BYTES + 1);
  big[0] = TYPE_SPECS.PING.code;
  expectInvalid(big, 'P2P_FRAME_TOO_LARGE');
  expectInvalid(big.subarray(0, MAX_FRAME_BYTES), 'P2P_TRAILING', 'at the cap: a PING and trailing zeros');
});

test('p2p malformed: list counts over their caps are P2P_LIST_TOO_LONG; counts that cannot fit are P2P_TRUNCATED', async () => {
  const f = await frames();
  const lists: [MessageType, number, number][] = [
    ['HELLO', HELLO_TIPS, MAX_SHARD_TIPS],
    ['HELLO', HELLO_PARAMS, MAX_CONSENSUS_PARAMS],
    ['ROOT_HEADERS', AFTER_ID + ROOT_HEADER_LEN, MAX_ROOT_HEADERS],
    ['GET_ROOT_BLOCKS', AFTER_ID, MAX_ROOT_BLOCKS],
    ['ROOT_BLOCKS', AFTER_ID, MAX_ROOT_BLOCKS],
    ['SHARD_HEADERS', AFTER_ID_SHARD + ROOT_HEADER_LEN + MINOR_HEADER_LEN, MAX_SHARD_HEADERS],
    ['GET_SHARD_BLOCKS', AFTER_ID_SHARD, MAX_SHARD_BLOCKS],
    ['SHARD_BLOCKS', AFTER_ID_SHARD, MAX_SHARD_BLOCKS],
  ];
  for (const [t, at, cap] of lists) {
    expectInvalid(patchU32(f[t], at, cap + 1), 'P2P_LIST_TOO_LONG', `${t} count cap + 1`);
    expectInvalid(patchU32(f[t], at, 0xffffffff), 'P2P_LIST_TOO_LONG', `${t} count 2^32 − 1`);
    expectInvalid(patchU32(f[t], at, cap), 'P2P_TRUNCATED', `${t} count at the cap, too few bytes`);
  }
  const firstRootBlockMinors = AFTER_ID + 4 + ROOT_HEADER_LEN;
  expectInvalid(patchU32(f.ROOT_BLOCKS, firstRootBlockMinors, MAX_HEADERS_PER_ROOT_BLOCK + 1), 'P2P_LIST_TOO_LONG', 'minor headers in a root block');
  const oneBlock = encodeMessage({ type: 'ROOT_BLOCKS', requestId: 1, blocks: [(await chainSample()).rootBlocks[0]!] });
  expectInvalid(patchU32(oneBlock, firstRootBlockMinors, MAX_HEADERS_PER_ROOT_BLOCK), 'P2P_TRUNCATED', 'minor headers at the cap');
  const txCount = AFTER_ID + MINOR_HEADER_LEN + MINOR_META_LEN;
  expectInvalid(patchU32(f.NEW_SHARD_BLOCK, txCount, MAX_TXS_PER_BLOCK + 1), 'P2P_LIST_TOO_LONG', 'transactions in a block');
  expectInvalid(patchU32(f.NEW_SHARD_BLOCK, txCount, 0), 'P2P_TRAILING', 'fewer transactions than sent');
});

test('p2p malformed: bad enums, limits and values', async () => {
  const f = await frames();
  const getRoot = f.GET_ROOT_HEADERS; // origin by hash
  const getShard = f.GET_SHARD_HEADERS; // origin by height
  expectInvalid(Uint8Array.from(getRoot, (b, i) => (i === AFTER_ID ? 2 : b)), 'P2P_BAD_ENUM', 'origin tag 2');
  for (const d of [2, 0xff]) expectInvalid(Uint8Array.from(getRoot, (b, i) => (i === getRoot.length - 1 ? d : b)), 'P2P_BAD_ENUM', `direction ${d}`);
  for (const r of [DISCONNECT_REASONS.length, 0xff]) expectInvalid(Uint8Array.from(f.DISCONNECT, (b, i) => (i === 1 ? r : b)), 'P2P_BAD_ENUM', `reason ${r}`);

  const rootLimit = AFTER_ID + 1 + 32;
  const shardLimit = AFTER_ID_SHARD + 1 + 8;
  expectInvalid(patchU32(getRoot, rootLimit, 0), 'P2P_BAD_LIMIT', 'root limit 0');
  expectInvalid(patchU32(getRoot, rootLimit, MAX_ROOT_HEADERS + 1), 'P2P_BAD_LIMIT', 'root limit over 1000');
  assert.equal(decodeMessage(patchU32(getRoot, rootLimit, MAX_ROOT_HEADERS)).type, 'GET_ROOT_HEADERS', 'limit 1000 is allowed');
  expectInvalid(patchU32(getShard, shardLimit, 0), 'P2P_BAD_LIMIT', 'shard limit 0');
  expectInvalid(patchU32(getShard, shardLimit, MAX_SHARD_HEADERS + 1), 'P2P_BAD_LIMIT', 'shard limit over 200');
  expectInvalid(bytes(TYPE_SPECS.GET_ROOT_BLOCKS.code, 0, 0, 0, 1, 0, 0, 0, 0), 'P2P_BAD_LIMIT', 'no root hashes');
  expectInvalid(bytes(TYPE_SPECS.GET_SHARD_BLOCKS.code, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 0), 'P2P_BAD_LIMIT', 'no shard hashes');

  expectInvalid(patchU32(f.HELLO, HELLO_PORT, 0x10000), 'P2P_BAD_VALUE', 'port 65536');
  expectInvalid(patchU32(f.HELLO, HELLO_PARAMS + 4, MAX_PARAM_TEXT_BYTES + 1), 'P2P_TEXT_TOO_LONG', 'a parameter name over 96 bytes');
  expectInvalid(patchU64(getShard, AFTER_ID_SHARD + 1, UNSAFE_U64), 'P2P_BAD_VALUE', 'origin height 2^53');
  expectInvalid(patchU64(f.NEW_ROOT_TIP, AFTER_TYPE + ROOT_HEIGHT, UNSAFE_U64), 'P2P_BAD_VALUE', 'root tip height 2^53');
});

test('p2p malformed: shard selectors, branches and HELLO shard tips', async () => {
  const f = await frames();
  expectInvalid(patchU32(f.NEW_SHARD_TIP, AFTER_TYPE, 0), 'P2P_BAD_SHARD', 'selector 0');
  expectInvalid(patchU32(f.GET_SHARD_BLOCKS, AFTER_ID, 0x00070000), 'P2P_BAD_SHARD', 'selector without a shard-size bit');
  expectInvalid(patchU32(f.HELLO, HELLO_TIPS + 4 + MINOR_BRANCH, 0), 'P2P_BAD_SHARD', 'a HELLO shard tip on no shard');

  expectInvalid(patchU32(f.NEW_SHARD_TIP, AFTER_TYPE, S5), 'P2P_BRANCH_MISMATCH', 'shard tip on another shard');
  expectInvalid(patchU32(f.NEW_SHARD_BLOCK, AFTER_TYPE, S5), 'P2P_BRANCH_MISMATCH', 'block on another shard');
  expectInvalid(patchU32(f.SHARD_BLOCKS, AFTER_ID, S5), 'P2P_BRANCH_MISMATCH', 'blocks on another shard');
  expectInvalid(patchU32(f.SHARD_HEADERS, AFTER_ID, S5), 'P2P_BRANCH_MISMATCH', 'headers on another shard');
  const secondHeader = AFTER_ID_SHARD + ROOT_HEADER_LEN + MINOR_HEADER_LEN + 4 + MINOR_HEADER_LEN;
  expectInvalid(patchU32(f.SHARD_HEADERS, secondHeader + MINOR_BRANCH, S5), 'P2P_BRANCH_MISMATCH', 'one header on another shard');

  const tips = HELLO_TIPS + 4;
  const first = f.HELLO.slice(tips, tips + MINOR_HEADER_LEN);
  const second = f.HELLO.slice(tips + MINOR_HEADER_LEN, tips + 2 * MINOR_HEADER_LEN);
  const swapped = f.HELLO.slice();
  swapped.set(second, tips);
  swapped.set(first, tips + MINOR_HEADER_LEN);
  expectInvalid(swapped, 'P2P_SHARD_TIPS_ORDER', 'shard tips swapped');
  const twice = f.HELLO.slice();
  twice.set(first, tips + MINOR_HEADER_LEN);
  expectInvalid(twice, 'P2P_SHARD_TIPS_ORDER', 'a shard tip twice');
});

test('p2p malformed: DISCONNECT text over the cap, not UTF-8, or with control characters', () => {
  const reason = 0;
  const text = (...b: number[]): Uint8Array => bytes(TYPE_SPECS.DISCONNECT.code, reason, 0, 0, (b.length >> 8) & 0xff, b.length & 0xff, ...b);
  expectInvalid(patchU32(text(), 2, MAX_DISCONNECT_TEXT_BYTES + 1), 'P2P_TEXT_TOO_LONG', 'length over the cap, refused before reading');
  expectInvalid(text(...new Array<number>(MAX_DISCONNECT_TEXT_BYTES + 1).fill(0x61)), 'P2P_TEXT_TOO_LONG', '257 bytes');
  assert.equal(decodeMessage(text(...new Array<number>(MAX_DISCONNECT_TEXT_BYTES).fill(0x61))).type, 'DISCONNECT', '256 bytes');
  const badUtf8: [string, number[]][] = [
    ['a lone continuation byte', [0x80]],
    ['a cut two-byte sequence', [0x61, 0xc3]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['a UTF-16 surrogate in UTF-8', [0xed, 0xa0, 0x80]],
    ['0xff', [0xff]],
  ];
  for (const [what, b] of badUtf8) expectInvalid(text(...b), 'P2P_BAD_TEXT', what);
  for (const [what, b] of [['newline', [0x0a]], ['NUL', [0x00]], ['ESC', [0x1b, 0x5b]], ['DEL', [0x7f]], ['C1 NEL', [0xc2, 0x85]]] as [string, number[]][]) {
    expectInvalid(text(0x61, ...b), 'P2P_BAD_TEXT', what);
  }
});

test('p2p malformed: a frame inside a larger buffer (a Node Buffer from a pool) decodes the same', async () => {
  const f = await frames();
  for (const t of TYPES) {
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(f[t]), Buffer.from([4])]).subarray(3, 3 + f[t].length);
    assert.deepEqual(encodeMessage(decodeMessage(pooled)), f[t], t);
  }
});
