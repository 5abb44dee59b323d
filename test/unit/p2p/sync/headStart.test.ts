/** Head starts (src/p2p/sync/headStart.ts): the header query from our tip + 1 answered by the request sent behind our HELLO, or asked again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError, invalid } from '../../../../src/core/errors.js';
import type { RootHeader } from '../../../../src/core/rootBlock.js';
import type { HeaderQuery, ResponseMessage } from '../../../../src/p2p/messageTypes.js';
import type { RequestBody } from '../../../../src/p2p/requestTracker.js';
import { replyFromHeadStart, sendHeadStart } from '../../../../src/p2p/sync/headStart.js';
import { PeerSyncSource } from '../../../../src/p2p/sync/peerSyncSource.js';
import { chainSample, type ChainSample } from '../fixtures.js';

const fromHeight = (height: number, limit: number): HeaderQuery => ({ origin: { kind: 'height', height }, limit, skip: 0, direction: 'toTip' });

/** A fake peer answering ROOT_HEADERS with `headers` (from `rootTip`), recording what it was sent. */
function fakePeer(rootTip: RootHeader, headers: readonly RootHeader[]): { sent: RequestBody[]; request: (b: RequestBody) => Promise<ResponseMessage>; toString: () => string } {
  const sent: RequestBody[] = [];
  return {
    sent,
    request: (b) => { sent.push(b); return Promise.resolve({ type: 'ROOT_HEADERS', requestId: sent.length, rootTip, headers }); },
    toString: () => 'fake:head',
  };
}

const tipOf = (c: ChainSample): RootHeader => c.rootBlocks[1]!.header;
const chainAbove = (c: ChainSample): RootHeader[] => c.rootBlocks.map((b) => b.header);

test('head start: sent as GET_ROOT_HEADERS from the height given, and it answers the same query (or a smaller one, trimmed)', async () => {
  const c = await chainSample();
  const peer = fakePeer(tipOf(c), chainAbove(c));
  const start = sendHeadStart(peer, 1, 64);
  assert.deepEqual(peer.sent, [{ type: 'GET_ROOT_HEADERS', ...fromHeight(1, 64) }]);
  const whole = await replyFromHeadStart(start, fromHeight(1, 2), tipOf(c));
  assert.deepEqual(whole?.headers, chainAbove(c));
  assert.ok(typeof whole?.roundTripMs === 'number' && whole.roundTripMs >= 0, 'its own round trip, timed from when it was sent');
  const trimmed = await replyFromHeadStart(start, fromHeight(1, 1), tipOf(c));
  assert.deepEqual(trimmed?.headers, [chainAbove(c)[0]]);
  assert.equal(peer.sent.length, 1, 'answering from it sends nothing');
});

test('head start: not used for another query, a shorter answer than asked, or an answer from another tip than the HELLO\'s', async () => {
  const c = await chainSample();
  const start = sendHeadStart(fakePeer(tipOf(c), chainAbove(c)), 1, 2);
  assert.equal(await replyFromHeadStart(start, fromHeight(2, 1), tipOf(c)), undefined, 'another origin height (our tip moved)');
  assert.equal(await replyFromHeadStart(start, { ...fromHeight(1, 2), skip: 1 }, tipOf(c)), undefined, 'samples, not consecutive headers');
  assert.equal(await replyFromHeadStart(start, { ...fromHeight(1, 2), direction: 'toGenesis' }, tipOf(c)), undefined);
  assert.equal(await replyFromHeadStart(start, fromHeight(1, 3), tipOf(c)), undefined, 'more headers than it asked for');
  assert.equal(await replyFromHeadStart(start, fromHeight(1, 2), c.rootBlocks[0]!.header), undefined, 'served from another tip than the HELLO announced');
  const short = sendHeadStart(fakePeer(tipOf(c), chainAbove(c).slice(0, 1)), 1, 2);
  assert.equal(await replyFromHeadStart(short, fromHeight(1, 2), tipOf(c)), undefined, 'a short answer is asked again, not judged');
});

test('head start: a failed one fails the query it answers, as the request would have; an unused failure is no unhandled rejection', async () => {
  const timeout = invalid('P2P_TIMEOUT', 'no answer');
  const failing = { request: (): Promise<ResponseMessage> => Promise.reject(timeout) };
  const c = await chainSample();
  const start = sendHeadStart(failing, 1, 64);
  await assert.rejects(replyFromHeadStart(start, fromHeight(1, 8), tipOf(c)), (e: unknown) => e instanceof ChainError && e.code === 'P2P_TIMEOUT');
  sendHeadStart(failing, 1, 64); // never read: its rejection is swallowed (node:test fails the file on an unhandled one)
  await new Promise((r) => setImmediate(r));
});

test('PeerSyncSource: the header query the head start answers uses it once; others go to the peer', async () => {
  const c = await chainSample();
  const peer = fakePeer(tipOf(c), chainAbove(c));
  const start = sendHeadStart(peer, 1, 64);
  const src = new PeerSyncSource(peer, { start, helloTip: tipOf(c) });
  assert.deepEqual((await src.getRootHeaders(fromHeight(1, 2))).headers, chainAbove(c));
  assert.equal(peer.sent.length, 1, 'the first query sent nothing more');
  await src.getRootHeaders(fromHeight(1, 2));
  assert.equal(peer.sent.length, 2, 'a head start answers once');
  // A query it does not answer (an ancestor search's samples) goes to the peer; the head start waits for its own.
  const peer2 = fakePeer(tipOf(c), chainAbove(c));
  const src2 = new PeerSyncSource(peer2, { start: sendHeadStart(peer2, 1, 64), helloTip: tipOf(c) });
  await src2.getRootHeaders({ ...fromHeight(0, 3), skip: 1 });
  assert.deepEqual((await src2.getRootHeaders(fromHeight(1, 2))).headers, chainAbove(c));
  assert.deepEqual(peer2.sent.map((b) => b.type === 'GET_ROOT_HEADERS' && [b.origin, b.skip]), [[{ kind: 'height', height: 1 }, 0], [{ kind: 'height', height: 0 }, 1]]);
  // A reply showing the peer's tip moved since its HELLO (the search's) drops the head start: its chain may be left behind.
  const moved = fakePeer(c.rootBlocks[0]!.header, chainAbove(c));
  const srcMoved = new PeerSyncSource(moved, { start: sendHeadStart(fakePeer(tipOf(c), chainAbove(c)), 1, 64), helloTip: tipOf(c) });
  await srcMoved.getRootHeaders({ ...fromHeight(0, 3), skip: 1 });
  await srcMoved.getRootHeaders(fromHeight(1, 2));
  assert.equal(moved.sent.length, 2, 'the query the head start would have answered went to the peer');
  // One it answers, but from another tip than the HELLO's, is dropped: the query goes to the peer, and so does the next.
  const peer3 = fakePeer(c.rootBlocks[0]!.header, chainAbove(c));
  const src3 = new PeerSyncSource(peer3, { start: sendHeadStart(peer3, 1, 64), helloTip: tipOf(c) });
  await src3.getRootHeaders(fromHeight(1, 2));
  await src3.getRootHeaders(fromHeight(1, 2));
  assert.equal(peer3.sent.length, 3);
});
