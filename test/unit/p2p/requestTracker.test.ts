import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleMinorHeader, sampleRootHeader, seq } from '../core/codecFixtures.js';
import type { MinorBlock } from '../../../src/core/minorBlock.js';
import type { ResponseMessage } from '../../../src/p2p/messages.js';
import type { PeerDecision } from '../../../src/p2p/peerFault.js';
import {
  MAX_OUTSTANDING_REQUESTS, REMEMBERED_TIMED_OUT, REQUEST_TIMEOUT_MS, RequestTracker, type IssueResult, type MatchResult, type RequestBody,
} from '../../../src/p2p/requestTracker.js';
import { chainSample, S4, S5 } from './fixtures.js';

const T0 = 1_700_000_000_000;
const tip = sampleRootHeader();
const headersReq = (limit: number): RequestBody => ({ type: 'GET_ROOT_HEADERS', origin: { kind: 'height', height: 1 }, limit, skip: 0, direction: 'toTip' });
const rootHeaders = (requestId: number, n: number): ResponseMessage => ({ type: 'ROOT_HEADERS', requestId, rootTip: tip, headers: Array.from({ length: n }, () => tip) });

function issued(r: IssueResult): number {
  assert.ok(r.ok, 'issued');
  return r.message.requestId;
}

function expectFault(d: MatchResult | PeerDecision, fault: string, fatal: boolean, reason: string): void {
  assert.ok(!d.ok, `expected ${fault}, got ok`);
  assert.deepEqual({ fault: d.fault, fatal: d.fatal, reason: d.reason }, { fault, fatal, reason });
}

test('request tracker: ids count up from 1 and the issued message carries the request and its id', () => {
  const t = new RequestTracker();
  const body: RequestBody = { type: 'GET_SHARD_BLOCKS', shardId: S4, hashes: [seq(32, 1), seq(32, 2)] };
  const r = t.issue(body, T0);
  assert.ok(r.ok);
  assert.deepEqual(r.message, { ...body, requestId: 1 });
  assert.deepEqual(r.request, { id: 1, type: 'GET_SHARD_BLOCKS', shardId: S4, maxItems: 2, sentMs: T0, deadlineMs: T0 + REQUEST_TIMEOUT_MS });
  assert.equal(issued(t.issue(headersReq(7), T0)), 2);
  assert.equal(issued(t.issue({ type: 'PING' }, T0)), 3);
  assert.equal(t.size, 3);
});

test('request tracker: at most 8 in flight; a 9th is refused (our limit, not a fault) until one is answered', () => {
  const t = new RequestTracker();
  const ids = Array.from({ length: MAX_OUTSTANDING_REQUESTS }, () => issued(t.issue(headersReq(1), T0)));
  const refused = t.issue({ type: 'PING' }, T0);
  assert.ok(!refused.ok);
  assert.equal(refused.code, 'P2P_TOO_MANY_OUTSTANDING');
  assert.equal(t.size, MAX_OUTSTANDING_REQUESTS);
  assert.ok(t.match(rootHeaders(ids[3]!, 1), T0 + 10).ok);
  assert.equal(issued(t.issue({ type: 'PING' }, T0 + 10)), MAX_OUTSTANDING_REQUESTS + 1);
});

test('request tracker: a response is matched once; an unknown or already-answered id is unrequested', () => {
  const t = new RequestTracker();
  const id = issued(t.issue(headersReq(3), T0));
  const m = t.match(rootHeaders(id, 3), T0 + 100);
  assert.ok(m.ok);
  assert.equal(m.request.id, id);
  assert.equal(t.size, 0);
  expectFault(t.match(rootHeaders(id, 3), T0 + 200), 'P2P_UNREQUESTED', false, 'BAD_RESPONSE');
  expectFault(t.match({ type: 'PONG', requestId: 77 }, T0), 'P2P_UNREQUESTED', false, 'BAD_RESPONSE');
  expectFault(t.match({ type: 'PONG', requestId: 0 }, T0), 'P2P_UNREQUESTED', false, 'BAD_RESPONSE');
});

test('request tracker: the response type and shard must be those of the request', async () => {
  const blocks: readonly MinorBlock[] = (await chainSample()).shardBlocks;
  const t = new RequestTracker();
  const h = issued(t.issue(headersReq(5), T0));
  expectFault(t.match({ type: 'ROOT_BLOCKS', requestId: h, blocks: [] }, T0), 'P2P_RESPONSE_MISMATCH', true, 'BAD_RESPONSE');
  assert.equal(t.size, 0, 'the mismatched response closed its request');
  const ping = issued(t.issue({ type: 'PING' }, T0));
  expectFault(t.match(rootHeaders(ping, 0), T0), 'P2P_RESPONSE_MISMATCH', true, 'BAD_RESPONSE');
  const sb = issued(t.issue({ type: 'GET_SHARD_BLOCKS', shardId: S4, hashes: [seq(32, 1)] }, T0));
  expectFault(t.match({ type: 'SHARD_BLOCKS', requestId: sb, shardId: S5, blocks: [] }, T0), 'P2P_RESPONSE_MISMATCH', true, 'BAD_RESPONSE');
  const sh = issued(t.issue({ type: 'GET_SHARD_HEADERS', shardId: S4, origin: { kind: 'hash', hash: seq(32, 3) }, limit: 2, skip: 0, direction: 'toGenesis' }, T0));
  expectFault(t.match({ type: 'SHARD_BLOCKS', requestId: sh, shardId: S4, blocks: blocks.slice(0, 1) }, T0), 'P2P_RESPONSE_MISMATCH', true, 'BAD_RESPONSE');
  const ok = issued(t.issue({ type: 'GET_SHARD_BLOCKS', shardId: S4, hashes: [seq(32, 1)] }, T0));
  assert.ok(t.match({ type: 'SHARD_BLOCKS', requestId: ok, shardId: S4, blocks: blocks.slice(0, 1) }, T0).ok);
});

test('request tracker: more items than asked for is a fault; fewer is allowed (unknown hashes are omitted)', async () => {
  const blocks = (await chainSample()).shardBlocks;
  const t = new RequestTracker();
  expectFault(t.match(rootHeaders(issued(t.issue(headersReq(2), T0)), 3), T0), 'P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE');
  assert.ok(t.match(rootHeaders(issued(t.issue(headersReq(2), T0)), 2), T0).ok);
  assert.ok(t.match(rootHeaders(issued(t.issue(headersReq(2), T0)), 0), T0).ok);
  const two = issued(t.issue({ type: 'GET_SHARD_BLOCKS', shardId: S4, hashes: [seq(32, 1), seq(32, 2)] }, T0));
  expectFault(t.match({ type: 'SHARD_BLOCKS', requestId: two, shardId: S4, blocks }, T0), 'P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE');
  const sh = issued(t.issue({ type: 'GET_SHARD_HEADERS', shardId: S4, origin: { kind: 'height', height: 0 }, limit: 1, skip: 0, direction: 'toTip' }, T0));
  const mh = sampleMinorHeader({ branch: S4 });
  expectFault(t.match({ type: 'SHARD_HEADERS', requestId: sh, shardId: S4, rootTip: tip, shardTip: mh, headers: [mh, mh] }, T0), 'P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE');
});

test('request tracker: expire reports requests at their deadline; late answers are told apart', () => {
  const t = new RequestTracker();
  const a = issued(t.issue(headersReq(1), T0));
  const b = issued(t.issue({ type: 'PING' }, T0 + 1_000));
  assert.equal(t.nextDeadlineMs(), T0 + REQUEST_TIMEOUT_MS);
  assert.deepEqual(t.expire(T0 + REQUEST_TIMEOUT_MS - 1), []);
  const out = t.expire(T0 + REQUEST_TIMEOUT_MS);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.request.id, a);
  expectFault(out[0]!.fault, 'P2P_TIMEOUT', false, 'TIMEOUT');
  assert.equal(t.size, 1);
  assert.equal(t.nextDeadlineMs(), T0 + 1_000 + REQUEST_TIMEOUT_MS);
  expectFault(t.match(rootHeaders(a, 1), T0 + REQUEST_TIMEOUT_MS + 5), 'P2P_LATE_RESPONSE', false, 'TIMEOUT');
  assert.ok(t.match({ type: 'PONG', requestId: b }, T0 + REQUEST_TIMEOUT_MS + 999).ok, 'b is still in time');
  assert.equal(t.nextDeadlineMs(), undefined);
});

test('request tracker: a response at or after its deadline is a timeout even before expire runs', () => {
  const t = new RequestTracker();
  const a = issued(t.issue({ type: 'PING' }, T0));
  expectFault(t.match({ type: 'PONG', requestId: a }, T0 + REQUEST_TIMEOUT_MS), 'P2P_TIMEOUT', false, 'TIMEOUT');
  assert.deepEqual(t.expire(T0 + 10 * REQUEST_TIMEOUT_MS), [], 'already closed: not reported twice');
  expectFault(t.match({ type: 'PONG', requestId: a }, T0 + REQUEST_TIMEOUT_MS + 1), 'P2P_LATE_RESPONSE', false, 'TIMEOUT');
});

test('request tracker: only the last timed-out ids are remembered; older late answers are unrequested', () => {
  const t = new RequestTracker(REMEMBERED_TIMED_OUT + 1);
  const ids = Array.from({ length: REMEMBERED_TIMED_OUT + 1 }, () => issued(t.issue({ type: 'PING' }, T0)));
  assert.equal(t.expire(T0 + REQUEST_TIMEOUT_MS).length, ids.length);
  expectFault(t.match({ type: 'PONG', requestId: ids[0]! }, T0 + REQUEST_TIMEOUT_MS), 'P2P_UNREQUESTED', false, 'BAD_RESPONSE');
  expectFault(t.match({ type: 'PONG', requestId: ids[1]! }, T0 + REQUEST_TIMEOUT_MS), 'P2P_LATE_RESPONSE', false, 'TIMEOUT');
});

test('request tracker: cancel forgets a request without a fault; its answer is then unrequested', () => {
  const t = new RequestTracker();
  const a = issued(t.issue({ type: 'PING' }, T0));
  t.cancel(a);
  assert.equal(t.size, 0);
  assert.deepEqual(t.expire(T0 + REQUEST_TIMEOUT_MS), []);
  expectFault(t.match({ type: 'PONG', requestId: a }, T0), 'P2P_UNREQUESTED', false, 'BAD_RESPONSE');
});

test('request tracker: ids wrap from 2^32 − 1 to 1, skipping 0 and ids still in flight', () => {
  const t = new RequestTracker(3, 1_000);
  const internals = t as unknown as { lastId: number };
  internals.lastId = 0xfffffffe;
  assert.equal(issued(t.issue({ type: 'PING' }, T0)), 0xffffffff);
  assert.equal(issued(t.issue({ type: 'PING' }, T0)), 1, 'never 0');
  internals.lastId = 0xffffffff;
  assert.equal(issued(t.issue({ type: 'PING' }, T0)), 2, '1 is still in flight');
});

test('request tracker: the timeout and cap are configurable', () => {
  const t = new RequestTracker(1, 500);
  const a = issued(t.issue({ type: 'PING' }, T0));
  assert.ok(!t.issue({ type: 'PING' }, T0).ok);
  assert.equal(t.expire(T0 + 500)[0]!.request.id, a);
});
