/**
 * The shard-block bundle of GET_ROOT_BLOCKS / ROOT_BLOCKS (src/p2p/rootBundle.ts): round trips
 * with and without it, the byte cap's range, and bundles that do not match their root blocks'
 * listings refused with coded `invalid` errors on decoding (and `internal` ones on encoding).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../src/core/errors.js';
import { keyOf } from '../../../src/core/bytes.js';
import { Writer } from '../../../src/core/codec.js';
import { encodeMinorBlock, minorBlockHash, writeMinorBlock, type MinorBlock } from '../../../src/core/minorBlock.js';
import { writeRootBlock, type RootBlock } from '../../../src/core/rootBlock.js';
import { TYPE_SPECS } from '../../../src/p2p/envelope.js';
import { MAX_BUNDLE_BYTES, SERVE_BUNDLE_BYTES } from '../../../src/p2p/limits.js';
import { decodeMessage, encodeMessage, type Message } from '../../../src/p2p/messages.js';
import { bundleShardBlocks } from '../../../src/p2p/sync/serveRootHeaders.js';
import { chainSample, sampleBundleMessages, sampleMessages } from './fixtures.js';

const c = await chainSample();
const { request, response } = sampleBundleMessages(c);
const [r1, r2] = c.rootBlocks as [RootBlock, RootBlock];
const [s1, s2, s3] = c.shardBlocks as [MinorBlock, MinorBlock, MinorBlock];

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ChainError, String(e));
    return `${e.cls}:${e.code}${e.code === 'P2P_ENCODE_INVALID' ? `:${/P2P_[A-Z_]+(?=:)/.exec(e.message.replace('P2P_ENCODE_INVALID', ''))?.[0] ?? e.message}` : ''}`;
  }
  return 'ok';
}

/** A ROOT_BLOCKS frame written by hand: root blocks, then (when given) the bundle lists as they are. */
function rootBlocksFrame(bundle: readonly (readonly MinorBlock[])[] | undefined, listCount = bundle?.length): Uint8Array {
  const w = new Writer();
  w.u8(TYPE_SPECS.ROOT_BLOCKS.code).u32(5);
  w.list(c.rootBlocks, writeRootBlock);
  if (bundle !== undefined) {
    w.u32(listCount!);
    for (const list of bundle) w.list(list, writeMinorBlock);
  }
  return w.finish();
}

test('root bundle: the sample bundles the listed S4 blocks as prefixes, in listing order', () => {
  assert.ok(response.type === 'ROOT_BLOCKS' && response.shardBlocks !== undefined);
  // r1 lists S4's block 1 first, r2 lists S4's blocks 2 and 3 first, then S5's (not in the sample): prefixes stop there.
  assert.deepEqual(response.shardBlocks.map((l) => l.length), [1, 2]);
  assert.deepEqual(response.shardBlocks.flat(), [s1, s2, s3]);
  assert.ok(r1.minorHeaders.length > 1 && r2.minorHeaders.length > 2, 'the listings go on past the bundled blocks');
});

test('root bundle: requests and responses round trip, with and without the bundle', () => {
  const plain = sampleMessages(c);
  for (const m of [request, response, plain.GET_ROOT_BLOCKS, plain.ROOT_BLOCKS]) {
    const frame = encodeMessage(m);
    const back = decodeMessage(frame);
    assert.deepEqual(back, m);
    assert.deepEqual(encodeMessage(back), frame);
  }
  // No trailer: the frames of before, read as before (no shardBytes, no shardBlocks).
  assert.equal(encodeMessage(request).length, encodeMessage(plain.GET_ROOT_BLOCKS).length + 4, 'the cap is one u32 after the hashes');
  assert.ok(!('shardBytes' in decodeMessage(encodeMessage(plain.GET_ROOT_BLOCKS))));
  assert.ok(!('shardBlocks' in decodeMessage(encodeMessage(plain.ROOT_BLOCKS))));
  // Empty lists are a bundle too (the server had none of the blocks).
  const empty: Message = { type: 'ROOT_BLOCKS', requestId: 3, blocks: c.rootBlocks, shardBlocks: [[], []] };
  assert.deepEqual(decodeMessage(encodeMessage(empty)), empty);
});

test('root bundle: the byte cap is 1..MAX_BUNDLE_BYTES both ways', () => {
  const ask = (shardBytes: number): Message => ({ type: 'GET_ROOT_BLOCKS', requestId: 1, hashes: [new Uint8Array(32)], shardBytes });
  assert.equal(decodeMessage(encodeMessage(ask(MAX_BUNDLE_BYTES))).type, 'GET_ROOT_BLOCKS');
  for (const n of [0, MAX_BUNDLE_BYTES + 1, 1.5]) assert.equal(codeOf(() => encodeMessage(ask(n))), 'internal:P2P_ENCODE_INVALID:P2P_BAD_LIMIT', `cap ${n}`);
  const frame = encodeMessage(ask(1));
  const at = frame.length - 4;
  for (const n of [0, MAX_BUNDLE_BYTES + 1]) {
    const bad = Uint8Array.from(frame);
    new DataView(bad.buffer).setUint32(at, n);
    assert.equal(codeOf(() => decodeMessage(bad)), 'invalid:P2P_BAD_LIMIT', `cap ${n}`);
  }
  assert.equal(codeOf(() => decodeMessage(frame.subarray(0, frame.length - 2))), 'invalid:P2P_TRUNCATED', 'half a cap');
  assert.equal(codeOf(() => decodeMessage(Uint8Array.from([...frame, 0]))), 'invalid:P2P_TRAILING', 'a byte after the cap');
});

test('root bundle: a bundle that is not a prefix of each listing is refused as the sender\'s fault', () => {
  assert.equal(codeOf(() => decodeMessage(rootBlocksFrame([[s1], [s2, s3]]))), 'ok');
  const cases: Array<[string, readonly (readonly MinorBlock[])[], number | undefined, string]> = [
    ['another block in place', [[s2], []], undefined, 'P2P_BUNDLE_MISMATCH'],
    ['listing order broken', [[], [s3, s2]], undefined, 'P2P_BUNDLE_MISMATCH'],
    ['not a prefix (one skipped)', [[], [s3]], undefined, 'P2P_BUNDLE_MISMATCH'],
    ['fewer lists than root blocks', [[s1]], undefined, 'P2P_BUNDLE_MISMATCH'],
    ['more lists than root blocks', [[s1], [s2], []], undefined, 'P2P_BUNDLE_MISMATCH'],
    ['more blocks than listed', [[s1, s1, s1, s1, s1], []], undefined, 'P2P_LIST_TOO_LONG'],
  ];
  for (const [what, bundle, count, code] of cases) {
    assert.equal(codeOf(() => decodeMessage(rootBlocksFrame(bundle, count))), `invalid:${code}`, what);
    assert.equal(codeOf(() => encodeMessage({ type: 'ROOT_BLOCKS', requestId: 5, blocks: c.rootBlocks, shardBlocks: bundle })), `internal:P2P_ENCODE_INVALID:${code}`, `${what} (encode)`);
  }
  // A forged count is refused before any block is read.
  assert.equal(codeOf(() => decodeMessage(rootBlocksFrame([], 0xffff_ffff))), 'invalid:P2P_LIST_TOO_LONG', 'list count over the root block cap');
  assert.equal(codeOf(() => decodeMessage(rootBlocksFrame([], 2))), 'invalid:P2P_TRUNCATED', 'two lists announced, none there');
  const full = rootBlocksFrame([[s1], [s2, s3]]);
  assert.equal(codeOf(() => decodeMessage(full.subarray(0, full.length - 3))), 'invalid:P2P_TRUNCATED', 'cut inside a block');
  assert.equal(codeOf(() => decodeMessage(Uint8Array.from([...full, 1]))), 'invalid:P2P_TRAILING', 'a byte after the bundle');
});

test('root bundle: a server bundles listing prefixes under the byte cap, stopping every listing once one block does not fit', () => {
  const sizes = new Map([s1, s2, s3].map((b) => [b, encodeMinorBlock(b).length]));
  const byHash = new Map([s1, s2, s3].map((b) => [keyOf(minorBlockHash(b)), b]));
  const lookup = (h: Uint8Array): { block: MinorBlock; bytes: number } | undefined => {
    const block = byHash.get(keyOf(h));
    return block && { block, bytes: sizes.get(block)! };
  };
  const bytes = (n: number): number => [s1, s2, s3].slice(0, n).reduce((t, b) => t + sizes.get(b)!, 0);
  assert.deepEqual(bundleShardBlocks(c.rootBlocks, SERVE_BUNDLE_BYTES, lookup), [[s1], [s2, s3]]);
  assert.deepEqual(bundleShardBlocks(c.rootBlocks, bytes(2), lookup), [[s1], [s2]], 'the cap cuts r2 after one block');
  assert.deepEqual(bundleShardBlocks(c.rootBlocks, bytes(1) - 1, lookup), [[], []], 'nothing fits');
  // The served amount is capped whatever the request states.
  assert.deepEqual(bundleShardBlocks(c.rootBlocks, MAX_BUNDLE_BYTES, lookup), [[s1], [s2, s3]]);
});
