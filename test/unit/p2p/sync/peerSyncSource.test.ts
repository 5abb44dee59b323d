/** PeerSyncSource: the three requests as Peer messages, the responses back. (Penalties: Network.penalise, test/unit/p2p/peerScore.test.ts.) */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../../src/core/errors.js';
import type { RequestBody } from '../../../../src/p2p/requestTracker.js';
import type { ResponseMessage } from '../../../../src/p2p/messageTypes.js';
import { PeerSyncSource } from '../../../../src/p2p/sync/peerSyncSource.js';
import { chainSample, S4, sampleBundleMessages } from '../fixtures.js';

test('PeerSyncSource: sends GET_ROOT_HEADERS / GET_ROOT_BLOCKS / GET_SHARD_BLOCKS and unwraps the answers', async () => {
  const c = await chainSample();
  const sent: RequestBody[] = [];
  const answers: ResponseMessage[] = [
    { type: 'ROOT_HEADERS', requestId: 1, rootTip: c.rootBlocks[1]!.header, headers: [c.rootGenesis] },
    { type: 'ROOT_BLOCKS', requestId: 2, blocks: c.rootBlocks },
    { type: 'SHARD_BLOCKS', requestId: 3, shardId: S4, blocks: c.shardBlocks },
    { type: 'ROOT_BLOCKS', requestId: 4, blocks: [] },
  ];
  const peer = {
    request: (body: RequestBody): Promise<ResponseMessage> => { sent.push(body); return Promise.resolve(answers.shift()!); },
    toString: () => 'fake:1',
  };
  const src = new PeerSyncSource(peer);
  assert.equal(src.id, 'fake:1');
  assert.equal(src.reportsTransportFaults, true);
  const q = { origin: { kind: 'height' as const, height: 0 }, limit: 3, skip: 1, direction: 'toTip' as const };
  const h = await src.getRootHeaders(q);
  assert.deepEqual(h, { rootTip: c.rootBlocks[1]!.header, headers: [c.rootGenesis] });
  assert.equal((await src.getRootBlocks([new Uint8Array(32)])).length, 2);
  assert.equal((await src.getMinorBlocks(S4, [new Uint8Array(32)])).length, 3);
  assert.deepEqual(sent.map((m) => m.type), ['GET_ROOT_HEADERS', 'GET_ROOT_BLOCKS', 'GET_SHARD_BLOCKS']);
  assert.deepEqual(sent[0], { type: 'GET_ROOT_HEADERS', ...q });
  assert.equal(sent[2]!.type === 'GET_SHARD_BLOCKS' && sent[2].shardId, S4);
  // A response of another type (the tracker prevents it; the adapter still refuses it).
  await assert.rejects(src.getMinorBlocks(S4, [new Uint8Array(32)]), (e: unknown) => e instanceof ChainError && e.code === 'P2P_RESPONSE_MISMATCH' && e.cls === 'invalid');
});

test('PeerSyncSource: getRootBundle sends the byte cap (or none) and returns the bundled shard blocks as they came', async () => {
  const c = await chainSample();
  const { response } = sampleBundleMessages(c);
  const sent: RequestBody[] = [];
  const answers: ResponseMessage[] = [response as ResponseMessage, { type: 'ROOT_BLOCKS', requestId: 2, blocks: c.rootBlocks }];
  const src = new PeerSyncSource({
    request: (body: RequestBody): Promise<ResponseMessage> => { sent.push(body); return Promise.resolve(answers.shift()!); },
    toString: () => 'fake:2',
  });
  const hashes = [new Uint8Array(32)];
  const bundled = await src.getRootBundle(hashes, 1000);
  assert.equal(bundled.blocks, c.rootBlocks);
  assert.equal(bundled.shardBlocks, response.type === 'ROOT_BLOCKS' ? response.shardBlocks : undefined);
  assert.ok(bundled.shardBlocks !== undefined);
  const plain = await src.getRootBundle(hashes, undefined);
  assert.equal(plain.shardBlocks, undefined);
  assert.deepEqual(sent, [{ type: 'GET_ROOT_BLOCKS', hashes, shardBytes: 1000 }, { type: 'GET_ROOT_BLOCKS', hashes }]);
});
