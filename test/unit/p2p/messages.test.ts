import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../src/core/errors.js';
import { encodeMinorBlock, MINOR_HEADER_LEN } from '../../../src/core/minorBlock.js';
import { encodeRootBlock, encodeRootHeader, ROOT_HEADER_LEN, type RootBlock } from '../../../src/core/rootBlock.js';
import { MAX_HEADERS_PER_ROOT_BLOCK } from '../../../src/core/limits.js';
import { TYPE_SPECS } from '../../../src/p2p/envelope.js';
import {
  MAX_DISCONNECT_TEXT_BYTES, MAX_FRAME_BYTES, MAX_ROOT_BLOCKS, MAX_ROOT_HEADERS, MAX_SHARD_BLOCKS, MAX_SHARD_HEADERS, MAX_SHARD_TIPS, MAX_CONSENSUS_PARAMS, MAX_PARAM_TEXT_BYTES,
} from '../../../src/p2p/limits.js';
import {
  decodeMessage, encodeMessage, isRequest, isResponse, PROTOCOL_VERSION, RESPONSE_TO, sanitizeText, type DisconnectReason, type Message, type MessageType,
} from '../../../src/p2p/messages.js';
import { chainSample, S4, S5, sampleMessages } from './fixtures.js';
import { sampleMinorHeader, sampleRootHeader, seq } from '../core/codecFixtures.js';

const TYPES = Object.keys(TYPE_SPECS) as MessageType[];

/** The `internal` code `encodeMessage` refuses `m` with. */
function encodeRefusal(m: Message): string {
  try {
    encodeMessage(m);
  } catch (e) {
    assert.ok(e instanceof ChainError, `expected a ChainError, got ${String(e)}`);
    assert.equal(e.cls, 'internal', `our own bad message is never the peer's fault: ${e.message}`);
    return e.code;
  }
  return assert.fail(`${m.type} was encoded`);
}

test('p2p messages: every type round-trips with real headers and blocks, and re-encodes to the same bytes', async () => {
  const msgs = sampleMessages(await chainSample());
  for (const t of TYPES) {
    const m = msgs[t];
    const frame = encodeMessage(m);
    const back = decodeMessage(frame);
    assert.deepEqual(back, m, t);
    assert.deepEqual(encodeMessage(back), frame, `${t}: exactly one encoding`);
  }
  const sb = msgs.SHARD_BLOCKS;
  assert.ok(sb.type === 'SHARD_BLOCKS' && sb.blocks.reduce((n, b) => n + b.txs.length, 0) === 3, 'the sample carries real transfers');
  const rb = msgs.ROOT_BLOCKS;
  assert.ok(rb.type === 'ROOT_BLOCKS' && rb.blocks.every((b) => b.minorHeaders.length > 0), 'root blocks list real minor headers');
});

test('p2p messages: type bytes are distinct, responses are request + 1, and the tables agree', () => {
  const codes = TYPES.map((t) => TYPE_SPECS[t].code);
  assert.equal(new Set(codes).size, codes.length);
  assert.ok(!codes.includes(0), '0x00 is no type');
  for (const [req, res] of Object.entries(RESPONSE_TO) as [keyof typeof RESPONSE_TO, MessageType][]) {
    assert.equal(TYPE_SPECS[res].code, TYPE_SPECS[req].code + 1, `${req} → ${res}`);
    assert.ok(TYPE_SPECS[req].requestId && TYPE_SPECS[res].requestId);
    assert.equal(TYPE_SPECS[req].shard, TYPE_SPECS[res].shard);
  }
  assert.equal(TYPES.filter((t) => TYPE_SPECS[t].requestId).length, 10, 'five requests and their responses carry an id');
});

test('p2p messages: the envelope is type | requestId | shardId | body, each field only where it applies', async () => {
  const msgs = sampleMessages(await chainSample());
  const c = await chainSample();
  const hello = encodeMessage(msgs.HELLO);
  assert.equal(hello[0], 0x01);
  assert.equal(new DataView(hello.buffer).getUint32(1), PROTOCOL_VERSION, 'HELLO: protocol version right after the type byte');

  const tip = encodeMessage(msgs.NEW_ROOT_TIP);
  assert.equal(tip.length, 1 + ROOT_HEADER_LEN);
  assert.deepEqual(tip.subarray(1), encodeRootHeader(c.rootBlocks[1]!.header), 'the canonical header encoding');

  const blk = encodeMessage(msgs.NEW_SHARD_BLOCK);
  assert.equal(new DataView(blk.buffer).getUint32(1), S4, 'shard selector, no request id');
  assert.deepEqual(blk.subarray(5), encodeMinorBlock(c.shardBlocks[1]!), 'the canonical block encoding');

  const get = encodeMessage(msgs.GET_SHARD_BLOCKS);
  const dv = new DataView(get.buffer);
  assert.equal(get[0], 0x16);
  assert.equal(dv.getUint32(1), 0x01020304, 'request id');
  assert.equal(dv.getUint32(5), S4, 'then the shard');
  assert.equal(dv.getUint32(9), 3, 'then the hash count');
  assert.equal(get.length, 13 + 3 * 32);

  const rootBlocks = encodeMessage(msgs.ROOT_BLOCKS);
  const [b1, b2] = c.rootBlocks.map((b) => encodeRootBlock(b));
  assert.equal(new DataView(rootBlocks.buffer).getUint32(5), 2, 'ROOT_BLOCKS: no shard selector, the count follows the id');
  assert.deepEqual(rootBlocks.subarray(9), new Uint8Array([...b1!, ...b2!]), 'the canonical block encodings back to back');

  assert.deepEqual([...encodeMessage({ type: 'PING', requestId: 0x0a0b0c0d })], [0x18, 0x0a, 0x0b, 0x0c, 0x0d]);
  assert.deepEqual([...encodeMessage({ type: 'PONG', requestId: 1 })], [0x19, 0, 0, 0, 1]);
  assert.deepEqual([...encodeMessage({ type: 'DISCONNECT', reason: 'REQUESTED', text: '' })], [0x02, 0, 0, 0, 0, 0]);
});

test('p2p messages: edge values round-trip (empty lists, list caps, height origin 0, max ids, every reason)', () => {
  const tip = sampleRootHeader();
  const mh = (i: number): ReturnType<typeof sampleMinorHeader> => sampleMinorHeader({ branch: S4, height: i });
  const edge: Message[] = [
    { type: 'ROOT_HEADERS', requestId: 0, rootTip: tip, headers: [] },
    { type: 'ROOT_BLOCKS', requestId: 0xffffffff, blocks: [] },
    { type: 'SHARD_BLOCKS', requestId: 3, shardId: 0x00018000 | 0x7fff, blocks: [] },
    { type: 'SHARD_HEADERS', requestId: 3, shardId: S4, rootTip: tip, shardTip: mh(9), headers: Array.from({ length: MAX_SHARD_HEADERS }, (_, i) => mh(i)) },
    { type: 'ROOT_HEADERS', requestId: 1, rootTip: tip, headers: Array.from({ length: MAX_ROOT_HEADERS }, () => tip) },
    { type: 'GET_ROOT_BLOCKS', requestId: 1, hashes: Array.from({ length: MAX_ROOT_BLOCKS }, (_, i) => seq(32, i)) },
    { type: 'GET_SHARD_BLOCKS', requestId: 1, shardId: S5, hashes: Array.from({ length: MAX_SHARD_BLOCKS }, (_, i) => seq(32, i)) },
    { type: 'GET_ROOT_HEADERS', requestId: 1, origin: { kind: 'height', height: 0 }, limit: 1, skip: 0xffffffff, direction: 'toTip' },
    { type: 'GET_SHARD_HEADERS', requestId: 1, shardId: S5, origin: { kind: 'height', height: Number.MAX_SAFE_INTEGER }, limit: MAX_SHARD_HEADERS, skip: 0, direction: 'toGenesis' },
    {
      type: 'HELLO', protocolVersion: 0xffffffff, networkId: 0, genesisRootHash: seq(32, 1), nodeId: seq(32, 2), listenPort: 0,
      params: Array.from({ length: MAX_CONSENSUS_PARAMS }, (_, i) => ({ name: `p${i}`.padEnd(MAX_PARAM_TEXT_BYTES, 'x'), value: 'ü'.repeat(MAX_PARAM_TEXT_BYTES / 2) })),
      rootTip: tip, shardTips: Array.from({ length: MAX_SHARD_TIPS }, (_, i) => sampleMinorHeader({ branch: 0x40 + i })),
    },
    { type: 'HELLO', protocolVersion: 1, networkId: 3, genesisRootHash: seq(32, 1), params: [], nodeId: seq(32, 2), listenPort: 65535, rootTip: tip, shardTips: [] },
    { type: 'DISCONNECT', reason: 'TIMEOUT', text: 'x'.repeat(MAX_DISCONNECT_TEXT_BYTES) },
    { type: 'DISCONNECT', reason: 'GENESIS', text: '\ufeffa leading BOM is kept' },
  ];
  for (const m of edge) {
    const frame = encodeMessage(m);
    assert.deepEqual(decodeMessage(frame), m, m.type);
  }
  const reasons: DisconnectReason[] = ['REQUESTED', 'PROTOCOL_VERSION', 'NETWORK_ID', 'GENESIS', 'SELF_CONNECT', 'DUPLICATE_PEER',
    'TOO_MANY_PEERS', 'HANDSHAKE', 'BAD_MESSAGE', 'BAD_TIP', 'BAD_RESPONSE', 'BAD_REQUEST', 'TIMEOUT', 'BAD_BLOCK', 'BANNED', 'CONFIG'];
  reasons.forEach((reason, i) => {
    const frame = encodeMessage({ type: 'DISCONNECT', reason, text: reason });
    assert.equal(frame[1], i, `${reason} is reason code ${i}`);
    assert.deepEqual(decodeMessage(frame), { type: 'DISCONNECT', reason, text: reason });
  });
});

test('p2p messages: isRequest / isResponse split the types', async () => {
  const msgs = sampleMessages(await chainSample());
  assert.deepEqual(TYPES.filter((t) => isRequest(msgs[t])), ['GET_ROOT_HEADERS', 'GET_ROOT_BLOCKS', 'GET_SHARD_HEADERS', 'GET_SHARD_BLOCKS', 'PING']);
  assert.deepEqual(TYPES.filter((t) => isResponse(msgs[t])), ['ROOT_HEADERS', 'ROOT_BLOCKS', 'SHARD_HEADERS', 'SHARD_BLOCKS', 'PONG']);
});

test('p2p messages: encoding refuses, as our own (internal) fault, what a peer would reject', async () => {
  const msgs = sampleMessages(await chainSample());
  const tip = sampleRootHeader();
  const hello = msgs.HELLO;
  const blocks = msgs.SHARD_BLOCKS;
  assert.ok(hello.type === 'HELLO' && blocks.type === 'SHARD_BLOCKS');
  const bad: [string, Message][] = [
    ['limit 0', { type: 'GET_ROOT_HEADERS', requestId: 1, origin: { kind: 'height', height: 1 }, limit: 0, skip: 0, direction: 'toTip' }],
    ['root limit over cap', { type: 'GET_ROOT_HEADERS', requestId: 1, origin: { kind: 'height', height: 1 }, limit: MAX_ROOT_HEADERS + 1, skip: 0, direction: 'toTip' }],
    ['shard limit over cap', { type: 'GET_SHARD_HEADERS', requestId: 1, shardId: S4, origin: { kind: 'height', height: 1 }, limit: MAX_SHARD_HEADERS + 1, skip: 0, direction: 'toTip' }],
    ['no hashes', { type: 'GET_ROOT_BLOCKS', requestId: 1, hashes: [] }],
    ['too many hashes', { type: 'GET_SHARD_BLOCKS', requestId: 1, shardId: S4, hashes: Array.from({ length: MAX_SHARD_BLOCKS + 1 }, () => seq(32, 0)) }],
    ['too many headers', { type: 'ROOT_HEADERS', requestId: 1, rootTip: tip, headers: Array.from({ length: MAX_ROOT_HEADERS + 1 }, () => tip) }],
    ['shard tips out of order', { ...hello, shardTips: [...hello.shardTips].reverse() }],
    ['shard tip twice', { ...hello, shardTips: [hello.shardTips[0]!, hello.shardTips[0]!] }],
    ['shard tip not a shard', { ...hello, shardTips: [sampleMinorHeader({ branch: 0x00010000 })] }],
    ['port over 65535', { ...hello, listenPort: 65536 }],
    ['short node id', { ...hello, nodeId: seq(31, 0) }],
    ['tip on another shard', { type: 'NEW_SHARD_TIP', shardId: S5, rootTip: tip, shardTip: sampleMinorHeader({ branch: S4 }) }],
    ['header on another shard', { type: 'SHARD_HEADERS', requestId: 1, shardId: S4, rootTip: tip, shardTip: sampleMinorHeader({ branch: S4 }), headers: [sampleMinorHeader({ branch: S5 })] }],
    ['block on another shard', { ...blocks, shardId: S5 }],
    ['selector not a shard', { type: 'GET_SHARD_BLOCKS', requestId: 1, shardId: 0, hashes: [seq(32, 0)] }],
    ['request id over u32', { type: 'PING', requestId: 2 ** 32 }],
    ['text with a newline', { type: 'DISCONNECT', reason: 'REQUESTED', text: 'line\nforged' }],
    ['text too long', { type: 'DISCONNECT', reason: 'REQUESTED', text: 'é'.repeat(MAX_DISCONNECT_TEXT_BYTES / 2 + 1) }],
    ['lone surrogate', { type: 'DISCONNECT', reason: 'REQUESTED', text: 'a\ud800b' }],
    ['unknown reason', { type: 'DISCONNECT', reason: 'NOPE' as unknown as DisconnectReason, text: '' }],
  ];
  for (const [what, m] of bad) assert.equal(encodeRefusal(m), 'P2P_ENCODE_INVALID', what);
});

test('p2p messages: a frame over 16 MiB is refused on encode (P2P_ENCODE_TOO_LARGE)', () => {
  const full: RootBlock = { header: sampleRootHeader(), minorHeaders: Array.from({ length: MAX_HEADERS_PER_ROOT_BLOCK }, () => sampleMinorHeader()) };
  const perBlock = ROOT_HEADER_LEN + 4 + MAX_HEADERS_PER_ROOT_BLOCK * MINOR_HEADER_LEN;
  const n = Math.floor(MAX_FRAME_BYTES / perBlock) + 1;
  assert.equal(encodeRefusal({ type: 'ROOT_BLOCKS', requestId: 1, blocks: Array.from({ length: n }, () => full) }), 'P2P_ENCODE_TOO_LARGE');
  assert.equal(encodeMessage({ type: 'ROOT_BLOCKS', requestId: 1, blocks: Array.from({ length: n - 1 }, () => full) }).length, 1 + 4 + 4 + (n - 1) * perBlock, 'type, id, count, blocks');
});

test('p2p messages: sanitizeText makes any string sendable', () => {
  assert.equal(sanitizeText('a\nb\tc\u0000d\u009be'), 'a b c d e');
  assert.equal(sanitizeText('x\ud800y'), 'x\ufffdy');
  const long = sanitizeText('é'.repeat(MAX_DISCONNECT_TEXT_BYTES));
  assert.equal(long, 'é'.repeat(MAX_DISCONNECT_TEXT_BYTES / 2), 'cut on a character boundary');
  const odd = sanitizeText('a' + 'é'.repeat(MAX_DISCONNECT_TEXT_BYTES));
  assert.equal(new TextEncoder().encode(odd).length, MAX_DISCONNECT_TEXT_BYTES - 1, 'a 2-byte character is not split');
  for (const s of [long, odd, sanitizeText('\r\n\u001b[31mred')]) {
    assert.deepEqual(decodeMessage(encodeMessage({ type: 'DISCONNECT', reason: 'BAD_BLOCK', text: s })), { type: 'DISCONNECT', reason: 'BAD_BLOCK', text: s });
  }
  assert.equal(sanitizeText(''), '');
});
