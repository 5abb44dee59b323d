/**
 * The P2P transport over real `ws` sockets on 127.0.0.1: Network and Peer against each other,
 * and against a raw WebSocket client that plays a bad peer. Every socket is closed in `finally`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { Bytes } from '../../src/core/bytes.js';
import { ChainError } from '../../src/core/errors.js';
import { rootHeaderHash } from '../../src/core/rootBlock.js';
import { MAX_FRAME_BYTES } from '../../src/p2p/limits.js';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION, type Hello, type Message, type ResponseMessage } from '../../src/p2p/messages.js';
import { Network, type LocalNode, type NetworkHandler } from '../../src/p2p/network.js';
import type { Announcement, Peer, ResponseBody, ServedRequest } from '../../src/p2p/peer.js';
import { BAN_MS, peerFault, syncFault, type PeerFault } from '../../src/p2p/peerFault.js';
import { REQUEST_BURST, type BudgetLimits } from '../../src/p2p/peerBudget.js';
import { SCORE_BAN_MS, SCORE_MAX } from '../../src/p2p/peerScore.js';
import { chainSample, type ChainSample } from '../unit/p2p/fixtures.js';
import { until as waitUntil } from '../utils/until.js';

const peerFaultOf = (code: 'P2P_TIMEOUT'): PeerFault => peerFault(code, false, 'TIMEOUT', 'slow');

/** Long enough for a loaded 2-core machine, short enough that a missing event fails fast. */
const WAIT_MS = 3_000;

interface Recorder {
  readonly announced: Array<{ from: Peer; msg: Announcement }>;
  readonly faults: Array<{ peer: Peer; fault: PeerFault }>;
  readonly requests: ServedRequest[];
}

interface Node {
  readonly net: Network;
  readonly nodeId: Bytes;
  readonly rec: Recorder;
}

function localNode(c: ChainSample, over: Partial<LocalNode> = {}): LocalNode {
  return {
    networkId: c.networkId, genesisRootHash: c.genesisRootHash, params: c.params, nodeId: randomBytes(32),
    tips: () => ({ rootTip: c.rootBlocks[0]!.header, shardTips: c.shardTips }),
    ...over,
  };
}

/** Serves root headers from the sample chain; a request for limit 999 is never answered. */
function serveSample(c: ChainSample, m: ServedRequest): Promise<ResponseBody> {
  if (m.type === 'GET_ROOT_HEADERS' && m.limit !== 999) {
    const headers = [c.rootGenesis, ...c.rootBlocks.map((b) => b.header)].slice(0, m.limit);
    return Promise.resolve({ type: 'ROOT_HEADERS', rootTip: c.rootBlocks[0]!.header, headers });
  }
  return new Promise<ResponseBody>(() => undefined);
}

async function start(
  c: ChainSample,
  o: { node?: Partial<LocalNode>; requestTimeoutMs?: number; handshakeTimeoutMs?: number; relay?: boolean; maxPeers?: number; pingIdleMs?: number; now?: () => number; budget?: BudgetLimits; onHelloSent?: (p: Peer) => void } = {},
): Promise<Node> {
  const rec: Recorder = { announced: [], faults: [], requests: [] };
  const node = localNode(c, o.node);
  let net: Network | undefined;
  const handler: NetworkHandler = {
    onAnnounce: (from, msg) => {
      rec.announced.push({ from, msg });
      if (o.relay) net?.broadcast(msg, from);
    },
    onRequest: (_p, m) => {
      rec.requests.push(m);
      return serveSample(c, m);
    },
    onFault: (peer, fault) => rec.faults.push({ peer, fault }),
    ...(o.onHelloSent ? { onHelloSent: o.onHelloSent } : {}),
  };
  net = await Network.listen({
    node, handler, port: 0, ...(o.maxPeers ? { maxPeers: o.maxPeers } : {}), ...(o.budget ? { budget: o.budget } : {}), ...(o.pingIdleMs ? { pingIdleMs: o.pingIdleMs } : {}), ...(o.now ? { now: o.now } : {}),
    timings: { handshakeTimeoutMs: o.handshakeTimeoutMs ?? WAIT_MS, ...(o.requestTimeoutMs ? { requestTimeoutMs: o.requestTimeoutMs } : {}) },
  });
  return { net, nodeId: node.nodeId, rec };
}

const until = (what: string, cond: () => boolean, ms = WAIT_MS): Promise<void> => waitUntil(what, cond, ms, 5);

async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof ChainError && e.code === code);
}

/** A raw WebSocket client: sends what it is told, records every decoded frame and how it closed. */
interface Raw {
  readonly ws: WebSocket;
  readonly got: Message[];
  closeCode: number | undefined;
  send(m: Message | Bytes): void;
}

async function raw(port: number): Promise<Raw> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, { maxPayload: MAX_FRAME_BYTES * 2 });
  const r: Raw = {
    ws, got: [], closeCode: undefined,
    send: (m) => ws.send(m instanceof Uint8Array ? m : encodeMessage(m), { binary: true }),
  };
  ws.on('message', (d) => r.got.push(decodeMessage(d as Buffer)));
  ws.on('close', (code) => { r.closeCode = code; });
  ws.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return r;
}

function helloOf(c: ChainSample, over: Partial<Hello> = {}): Hello {
  return {
    type: 'HELLO', protocolVersion: PROTOCOL_VERSION, networkId: c.networkId, genesisRootHash: c.genesisRootHash, params: c.params,
    nodeId: randomBytes(32), listenPort: 0, rootTip: c.rootBlocks[0]!.header, shardTips: c.shardTips, ...over,
  };
}

const disconnectOf = (r: Raw): string | undefined => {
  const d = r.got.find((m) => m.type === 'DISCONNECT');
  return d?.type === 'DISCONNECT' ? d.reason : undefined;
};

const sameId = (a: Bytes | undefined, b: Bytes): boolean => a !== undefined && Buffer.from(a).equals(b);

async function closeAll(...xs: Array<Node | Raw | undefined>): Promise<void> {
  for (const x of xs) {
    if (x === undefined) continue;
    if ('net' in x) await x.net.close();
    else x.ws.terminate();
  }
}

test('p2p: two networks handshake, see each other, and ping', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  try {
    a = await start(c);
    b = await start(c);
    const peer = await b.net.dial('127.0.0.1', a.net.port);
    assert.ok(sameId(peer.nodeId, a.nodeId), 'B sees A by its node id');
    const aa = a;
    await until('A to see B', () => aa.net.peers().length === 1);
    assert.ok(sameId(a.net.peers()[0]!.nodeId, b.nodeId));
    assert.equal(a.net.peers()[0]!.hello!.listenPort, b.net.port, 'HELLO carries the listen port');
    const pong = await peer.request({ type: 'PING' });
    assert.equal(pong.type, 'PONG');
    assert.equal(peer.outstanding, 0);
    assert.deepEqual([...a.rec.faults, ...b.rec.faults].map((f) => f.fault.fault), []);

    await rejectsWith(b.net.dial('127.0.0.1', a.net.port), 'P2P_DUPLICATE_PEER');
    assert.ok(!b.net.isBanned(a.nodeId), 'a duplicate is not banned');
    await rejectsWith(a.net.dial('127.0.0.1', a.net.port), 'P2P_SELF_CONNECT');
    assert.ok(peer.isReady, 'the first connection survives both');
    assert.equal((await peer.request({ type: 'PING' })).type, 'PONG');
    assert.equal(b.net.peers().length, 1);
  } finally {
    await closeAll(a, b);
  }
  assert.equal(a.net.peers().length, 0, 'close() drops every peer');
  await rejectsWith(b.net.dial('127.0.0.1', a.net.port), 'P2P_PEER_CLOSED');
});

test('p2p: the peer cap refuses one more with TOO_MANY_PEERS; a dial to a closed port fails with P2P_PEER_CLOSED', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  let d: Node | undefined;
  let gone: Node | undefined;
  try {
    a = await start(c, { maxPeers: 1 });
    b = await start(c);
    d = await start(c);
    await b.net.dial('127.0.0.1', a.net.port);
    const aa = a;
    await until('A to admit B', () => aa.net.peers().length === 1);
    // D may finish its side of the handshake before A refuses it: the dial resolves or rejects, and D ends with no peer.
    await d.net.dial('127.0.0.1', a.net.port).catch(() => undefined);
    const dd = d;
    await until('A to refuse D', () => aa.rec.faults.some((f) => f.fault.fault === 'P2P_TOO_MANY_PEERS'));
    await until('D to drop A', () => dd.net.peers().length === 0);
    assert.ok(!a.net.isBanned(d.nodeId), 'the cap is no ban');
    assert.equal(a.net.peers().length, 1);

    gone = await start(c);
    const port = gone.net.port;
    await gone.net.close();
    await rejectsWith(b.net.dial('127.0.0.1', port), 'P2P_PEER_CLOSED');
  } finally {
    await closeAll(a, b, d, gone);
  }
});

test('p2p: a network-id mismatch is refused and banned; a genesis mismatch gets DISCONNECT GENESIS and the node id is banned', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let other: Node | undefined;
  let r1: Raw | undefined;
  let r2: Raw | undefined;
  try {
    a = await start(c);
    other = await start(c, { node: { networkId: c.networkId + 1 } });
    await rejectsWith(a.net.dial('127.0.0.1', other.net.port), 'P2P_NETWORK_MISMATCH');
    assert.ok(a.net.isBanned(`127.0.0.1:${other.net.port}`), 'the address is banned');
    assert.ok(a.net.isBanned(other.nodeId), 'the node id is banned');
    await rejectsWith(a.net.dial('127.0.0.1', other.net.port), 'P2P_BANNED');
    assert.equal(a.net.peers().length, 0);

    const nodeId = randomBytes(32);
    r1 = await raw(a.net.port);
    r1.send(helloOf(c, { nodeId, genesisRootHash: randomBytes(32) }));
    const x1 = r1;
    await until('the genesis mismatch close', () => x1.closeCode !== undefined);
    assert.equal(r1.got[0]?.type, 'HELLO', 'the node sends its HELLO first');
    assert.equal(disconnectOf(r1), 'GENESIS');
    assert.ok(a.rec.faults.some((f) => f.fault.fault === 'P2P_GENESIS_MISMATCH' && f.fault.fatal));
    assert.ok(a.net.isBanned(nodeId));

    r2 = await raw(a.net.port);
    r2.send(helloOf(c, { nodeId })); // now compatible, but banned
    const x2 = r2;
    await until('the banned close', () => x2.closeCode !== undefined);
    assert.equal(disconnectOf(r2), 'BANNED');
    assert.equal(a.net.peers().length, 0);
  } finally {
    await closeAll(a, other, r1, r2);
  }
});

test('p2p: GET_ROOT_HEADERS round trip answered by the handler, with real headers', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  try {
    a = await start(c);
    b = await start(c);
    const peer = await b.net.dial('127.0.0.1', a.net.port);
    const res = await peer.request({ type: 'GET_ROOT_HEADERS', origin: { kind: 'height', height: 0 }, limit: 2, skip: 0, direction: 'toTip' });
    assert.equal(res.type, 'ROOT_HEADERS');
    if (res.type !== 'ROOT_HEADERS') return;
    assert.deepEqual(res.headers.map(rootHeaderHash), [c.rootGenesis, c.rootBlocks[0]!.header].map(rootHeaderHash));
    assert.equal(a.rec.requests.length, 1);
    assert.equal(a.rec.requests[0]!.type, 'GET_ROOT_HEADERS');
    assert.equal(b.rec.faults.length, 0);
  } finally {
    await closeAll(a, b);
  }
});

test('p2p: a request sent as soon as our HELLO is out, before theirs is in, is answered once the handshake passes', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  let early: Promise<ResponseMessage> | undefined;
  let readyWhenSent: boolean | undefined;
  try {
    a = await start(c);
    b = await start(c, {
      onHelloSent: (p) => {
        readyWhenSent = p.isReady;
        early = p.request({ type: 'GET_ROOT_HEADERS', origin: { kind: 'height', height: 1 }, limit: 1, skip: 0, direction: 'toTip' });
      },
    });
    await b.net.dial('127.0.0.1', a.net.port);
    assert.equal(readyWhenSent, false, 'sent during the handshake');
    const res = await early!;
    assert.ok(res.type === 'ROOT_HEADERS');
    assert.equal(a.rec.requests.length, 1);
    assert.equal(b.rec.faults.length + a.rec.faults.length, 0, 'no fault on either side: it reached the server after our HELLO');
  } finally {
    await closeAll(a, b);
  }
});

test('p2p: a request sent behind our HELLO to a peer that never sends its own ends with P2P_PEER_CLOSED when the handshake fails', async () => {
  const c = await chainSample();
  let b: Node | undefined;
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  let early: Promise<ResponseMessage> | undefined;
  try {
    await new Promise<void>((r) => server.once('listening', () => r()));
    b = await start(c, { handshakeTimeoutMs: 200, onHelloSent: (p) => { early ??= p.request({ type: 'PING' }); } });
    const dialled = b.net.dial('127.0.0.1', (server.address() as AddressInfo).port);
    await until('the request sent', () => early !== undefined);
    const [dial, request] = await Promise.allSettled([dialled, early!]);
    assert.equal(dial.status, 'rejected', 'no handshake, no peer');
    assert.ok(request.status === 'rejected' && request.reason instanceof ChainError && request.reason.code === 'P2P_PEER_CLOSED', 'the request ends with the connection, blaming no one');
  } finally {
    await closeAll(b);
    server.close();
  }
});

test('p2p: an unanswered request times out with P2P_TIMEOUT (a penalty, the peer stays)', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  try {
    a = await start(c);
    b = await start(c, { requestTimeoutMs: 150 });
    const peer = await b.net.dial('127.0.0.1', a.net.port);
    const t0 = Date.now();
    await rejectsWith(peer.request({ type: 'GET_ROOT_HEADERS', origin: { kind: 'height', height: 0 }, limit: 999, skip: 0, direction: 'toTip' }), 'P2P_TIMEOUT');
    assert.ok(Date.now() - t0 < 1_000, 'the short timeout applies');
    assert.deepEqual(b.rec.faults.map((f) => [f.fault.fault, f.fault.fatal]), [['P2P_TIMEOUT', false]]);
    assert.ok(peer.isReady, 'a timeout alone does not drop the peer');
    assert.equal((await peer.request({ type: 'PING' })).type, 'PONG');
  } finally {
    await closeAll(a, b);
  }
});

test('p2p: garbage bytes and an unrequested response are faults of that peer only; a good peer is still served', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  let bad: Raw | undefined;
  let garbage: Raw | undefined;
  try {
    a = await start(c);
    b = await start(c);
    const good = await b.net.dial('127.0.0.1', a.net.port);

    bad = await raw(a.net.port);
    bad.send(helloOf(c));
    const aa = a;
    await until('the raw peer to be admitted', () => aa.net.peers().length === 2);
    bad.send({ type: 'PONG', requestId: 77 });
    await until('the unrequested fault', () => aa.rec.faults.length === 1);
    assert.deepEqual(a.rec.faults.map((f) => [f.fault.fault, f.fault.fatal]), [['P2P_UNREQUESTED', false]]);
    assert.equal(a.net.peers().length, 2, 'an unrequested response is a penalty only');

    garbage = await raw(a.net.port);
    garbage.send(new Uint8Array([0xff, 0x00, 0x13, 0x37]));
    const g = garbage;
    await until('the garbage peer to be closed', () => g.closeCode !== undefined);
    assert.equal(disconnectOf(garbage), 'BAD_MESSAGE');
    assert.ok(a.rec.faults.some((f) => f.fault.fault === 'P2P_UNKNOWN_TYPE' && f.fault.fatal));

    bad.send(new Uint8Array([0x02])); // a truncated request from a handshaken peer
    const x = bad;
    await until('the bad peer to be closed', () => x.closeCode !== undefined);
    assert.equal(disconnectOf(bad), 'BAD_MESSAGE');
    await until('A to drop the bad peer', () => aa.net.peers().length === 1);

    const res = await good.request({ type: 'GET_ROOT_HEADERS', origin: { kind: 'height', height: 0 }, limit: 3, skip: 0, direction: 'toTip' });
    assert.equal(res.type === 'ROOT_HEADERS' ? res.headers.length : -1, 3, 'the good peer is still served');
  } finally {
    await closeAll(a, b, bad, garbage);
  }
});

test('p2p: an oversized frame closes only that connection', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  let big: Raw | undefined;
  try {
    a = await start(c);
    b = await start(c);
    const good = await b.net.dial('127.0.0.1', a.net.port);
    big = await raw(a.net.port);
    big.send(helloOf(c));
    const aa = a;
    await until('the raw peer to be admitted', () => aa.net.peers().length === 2);
    big.send(new Uint8Array(MAX_FRAME_BYTES + 1));
    const x = big;
    await until('the oversized sender to be closed', () => x.closeCode !== undefined);
    assert.equal(big.closeCode, 1009, 'ws closes with "message too big"');
    assert.ok(a.rec.faults.some((f) => f.fault.fault === 'P2P_FRAME_TOO_LARGE' && f.fault.fatal));
    await until('A to drop it', () => aa.net.peers().length === 1);
    assert.ok(good.isReady);
    assert.equal((await good.request({ type: 'PING' })).type, 'PONG');
  } finally {
    await closeAll(a, b, big);
  }
});

test('p2p: a raw PING is answered with a PONG echoing its id; a message before HELLO is refused', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let r: Raw | undefined;
  let early: Raw | undefined;
  try {
    a = await start(c);
    r = await raw(a.net.port);
    r.send(helloOf(c));
    r.send({ type: 'PING', requestId: 4242 });
    const x = r;
    await until('the PONG', () => x.got.some((m) => m.type === 'PONG'));
    assert.deepEqual(r.got.find((m) => m.type === 'PONG'), { type: 'PONG', requestId: 4242 });

    early = await raw(a.net.port);
    early.send({ type: 'PING', requestId: 1 });
    const e = early;
    await until('the early sender to be closed', () => e.closeCode !== undefined);
    assert.equal(disconnectOf(early), 'HANDSHAKE');
    assert.ok(!early.got.some((m) => m.type === 'PONG'));
  } finally {
    await closeAll(a, r, early);
  }
});

test('p2p: a connection that sends no HELLO is closed with DISCONNECT HANDSHAKE, without a ban', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let r: Raw | undefined;
  try {
    a = await start(c, { handshakeTimeoutMs: 150 });
    r = await raw(a.net.port);
    const x = r;
    await until('the silent peer to be closed', () => x.closeCode !== undefined);
    assert.equal(disconnectOf(r), 'HANDSHAKE');
    assert.deepEqual(a.rec.faults.map((f) => [f.fault.fault, f.fault.fatal]), [['P2P_HANDSHAKE_TIMEOUT', false]]);
  } finally {
    await closeAll(a, r);
  }
});

test('p2p: an announcement is relayed to the other peers but not back to its sender', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  let cc: Node | undefined;
  try {
    a = await start(c);
    b = await start(c, { relay: true });
    cc = await start(c);
    const bToA = await b.net.dial('127.0.0.1', a.net.port);
    await b.net.dial('127.0.0.1', cc.net.port);
    const aa = a;
    const ccc = cc;
    await until('A and C to see B', () => aa.net.peers().length === 1 && ccc.net.peers().length === 1);
    const msg: Announcement = { type: 'NEW_ROOT_TIP', rootTip: c.rootBlocks[1]!.header };
    assert.equal(a.net.broadcast(msg), 1);
    await until('C to get the relayed tip', () => ccc.rec.announced.length === 1);
    const got = cc.rec.announced[0]!.msg;
    assert.deepEqual(got.type === 'NEW_ROOT_TIP' ? rootHeaderHash(got.rootTip) : undefined, rootHeaderHash(c.rootBlocks[1]!.header));
    assert.ok(sameId(cc.rec.announced[0]!.from.nodeId, b.nodeId), 'C got it from B');
    assert.equal(b.rec.announced.length, 1);
    // A frame B sent A before its PONG arrives before it: after the PONG, A has all B ever sent.
    await a.net.peers()[0]!.request({ type: 'PING' });
    assert.equal(a.rec.announced.length, 0, 'not sent back to its origin');
    assert.ok(bToA.isReady);
    assert.equal([...a.rec.faults, ...b.rec.faults, ...cc.rec.faults].length, 0);
  } finally {
    await closeAll(a, b, cc);
  }
});

test('p2p: peer score: timeouts cost score; four in a burst drop the peer, ban it for a while, and a redial is refused', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  try {
    a = await start(c);
    b = await start(c, { requestTimeoutMs: 150 });
    const peer = await b.net.dial('127.0.0.1', a.net.port);
    assert.equal(b.net.score(peer), SCORE_MAX);
    const stall = () => peer.request({ type: 'GET_ROOT_HEADERS', origin: { kind: 'height', height: 0 }, limit: 999, skip: 0, direction: 'toTip' });
    await rejectsWith(stall(), 'P2P_TIMEOUT');
    assert.ok(b.net.score(peer) < SCORE_MAX && peer.isReady, 'one timeout: a lower score, still connected');
    await Promise.allSettled([stall(), stall(), stall()]);
    await until('the peer is dropped by its score', () => peer.isClosed);
    assert.equal(peer.closeReason?.reason, 'TIMEOUT');
    assert.ok(b.net.isBanned(a.nodeId), 'banned after the drop');
    await rejectsWith(b.net.dial('127.0.0.1', a.net.port), 'P2P_BANNED');
  } finally {
    await closeAll(a, b);
  }
});

test('p2p: an idle peer is pinged: its PONG is heard without any request of ours', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let b: Node | undefined;
  try {
    a = await start(c);
    b = await start(c, { pingIdleMs: 40 });
    const peer = await b.net.dial('127.0.0.1', a.net.port);
    const heard = peer.lastHeardAt;
    await until('a PONG to the idle ping', () => peer.lastHeardAt > heard);
    assert.ok(peer.isReady);
    assert.equal(b.rec.faults.length, 0);
  } finally {
    await closeAll(a, b);
  }
});

test('PeerSuspension: a fatal fault suspends the peer (redial refused) until BAN_MS has passed; a score drop for SCORE_BAN_MS', async () => {
  const c = await chainSample();
  let now = Date.now();
  let a: Node | undefined;
  let b: Node | undefined;
  try {
    a = await start(c);
    b = await start(c, { now: () => now });
    const peer = await b.net.dial('127.0.0.1', a.net.port);
    assert.equal(b.net.penalise(peer, syncFault('P2P_BAD_SEAL', 'header 3')), true);
    await until('disconnected', () => peer.isClosed);
    await rejectsWith(b.net.dial('127.0.0.1', a.net.port), 'P2P_BANNED');
    now += BAN_MS - 1;
    assert.ok(b.net.isBanned(a.nodeId), 'still suspended just before the end');
    now += 1;
    const again = await b.net.dial('127.0.0.1', a.net.port);
    assert.ok(again.isReady, 'accepted once the suspension is over');
    const slow = peerFaultOf('P2P_TIMEOUT');
    for (let i = 0; i < 3; i++) assert.equal(b.net.penalise(again, slow), false);
    assert.equal(b.net.penalise(again, slow), true, 'the fourth timeout in a row drops it');
    await until('disconnected', () => again.isClosed);
    now += SCORE_BAN_MS - 1;
    assert.ok(b.net.isBanned(a.nodeId));
    now += 1;
    assert.ok(!b.net.isBanned(a.nodeId), 'a score ban is shorter');
  } finally {
    await closeAll(a, b);
  }
});

test('p2p: a connection storm: every connection over the pending cap gets DISCONNECT TOO_MANY_PEERS and is closed, none is left waiting', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  const storm: Raw[] = [];
  try {
    // 2 peers → 4 connections may be pending; the handshake timeout is long, so only the refusal can close the rest.
    a = await start(c, { maxPeers: 2 });
    const port = a.net.port;
    storm.push(...(await Promise.all(Array.from({ length: 24 }, () => raw(port)))));
    await until('every connection to be answered', () => storm.every((r) => r.got.length > 0));
    const refused = storm.filter((r) => disconnectOf(r) === 'TOO_MANY_PEERS');
    const waiting = storm.filter((r) => r.got.some((m) => m.type === 'HELLO'));
    assert.equal(refused.length, 20, 'all but the 4 pending ones are refused with a reason');
    assert.equal(waiting.length, 4, 'the pending ones got our HELLO');
    await until('the refused ones to be closed', () => refused.every((r) => r.closeCode !== undefined), 5_000);
  } finally {
    await closeAll(a, ...storm);
  }
});

test('p2p: bans from loopback are by node id only: a banned id reconnecting is refused, a new id from 127.0.0.1 is admitted', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  const raws: Raw[] = [];
  try {
    a = await start(c);
    const port = a.net.port;
    const id = randomBytes(32);
    const first = await raw(port);
    raws.push(first);
    first.send(helloOf(c, { nodeId: id }));
    const aa = a;
    await until('the peer to be handshaken', () => aa.net.peers().length === 1);
    assert.equal(a.net.penalise(a.net.peers()[0]!, syncFault('P2P_BAD_SEAL', 'header 3')), true);
    await until('the banned peer to be closed', () => first.closeCode !== undefined);
    const same = await raw(port);
    raws.push(same);
    same.send(helloOf(c, { nodeId: id }));
    await until('the same id to be refused', () => same.closeCode !== undefined);
    assert.equal(disconnectOf(same), 'BANNED');
    const fresh = await raw(port);
    raws.push(fresh);
    fresh.send(helloOf(c));
    fresh.send({ type: 'PING', requestId: 7 });
    await until('the new id to be answered', () => fresh.got.some((m) => m.type === 'PONG'));
    assert.equal(disconnectOf(fresh), undefined, 'loopback: a fresh id is admitted');
  } finally {
    await closeAll(a, ...raws);
  }
});

test('p2p: a burst of 1,000 PINGs is answered only up to the request budget; the rest cost score until the peer is dropped and banned', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let r: Raw | undefined;
  try {
    a = await start(c);
    r = await raw(a.net.port);
    const id = randomBytes(32);
    r.send(helloOf(c, { nodeId: id }));
    for (let i = 1; i <= 1000; i++) r.send({ type: 'PING', requestId: i });
    const x = r;
    await until('the flooder to be closed', () => x.closeCode !== undefined);
    const pongs = r.got.filter((m) => m.type === 'PONG').length;
    assert.ok(pongs >= REQUEST_BURST && pongs < 1000, `${pongs} PONGs`);
    assert.equal(disconnectOf(r), 'BAD_REQUEST');
    const over = a.rec.faults.filter((f) => f.fault.fault === 'P2P_OVER_BUDGET');
    assert.ok(over.length > 0 && over.every((f) => !f.fault.fatal), 'refusals are non-fatal faults');
    assert.ok(a.net.isBanned(id), 'dropped by its score, and banned');
  } finally {
    await closeAll(a, r);
  }
});

test('p2p: responses past the byte budget are not sent, and cost score', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  let r: Raw | undefined;
  try {
    const budget = { requestsPerSec: 1000, requestBurst: 1000, bytesPerSec: 1, bytesBurst: 4_000 };
    a = await start(c, { budget });
    r = await raw(a.net.port);
    r.send(helloOf(c));
    const x = r;
    await until('our HELLO', () => x.got.some((m) => m.type === 'HELLO'));
    for (let i = 1; i <= 8; i++) r.send({ type: 'GET_ROOT_HEADERS', requestId: i, origin: { kind: 'height', height: 0 }, limit: 3, skip: 0, direction: 'toTip' });
    const aa = a;
    await until('the refusals', () => aa.rec.faults.filter((f) => f.fault.fault === 'P2P_OVER_BUDGET').length + x.got.filter((m) => m.type === 'ROOT_HEADERS').length === 8);
    const answered = r.got.filter((m) => m.type === 'ROOT_HEADERS').length;
    const bytes = r.got.filter((m) => m.type === 'ROOT_HEADERS').reduce((n, m) => n + encodeMessage(m).length, 0);
    assert.ok(answered >= 1 && answered < 8, `${answered} answered`);
    assert.ok(bytes <= budget.bytesBurst + 1, `${bytes} bytes sent under a 4,000-byte budget`);
    assert.equal(a.net.peers()[0]!.budget.servedBytes, bytes);
  } finally {
    await closeAll(a, r);
  }
});

test('p2p: a connection from a banned non-loopback IP gets DISCONNECT BANNED at once, whatever its node id (fake sockets: a real one needs a network namespace)', async () => {
  const c = await chainSample();
  let a: Node | undefined;
  try {
    a = await start(c);
    // A peer from 10.0.0.7 that earned a ban (its Peer as the ban logic reads it).
    const bad = { outbound: false, address: '10.0.0.7:40001', remoteHello: helloOf(c) } as unknown as Peer;
    a.net.ban(bad);
    assert.ok(a.net.isBanned(bad.remoteHello!.nodeId));
    const wss = (a.net as unknown as { wss: EventEmitter }).wss;
    const connect = (remoteAddress: string): { sent: Message[]; closed: boolean; terminate(): void } => {
      const ee = new EventEmitter();
      const fake = Object.assign(ee, {
        sent: [] as Message[], closed: false, readyState: 1, OPEN: 1, CONNECTING: 0, bufferedAmount: 0, binaryType: 'nodebuffer',
        send: (frame: Uint8Array, _o: unknown, cb?: () => void) => { fake.sent.push(decodeMessage(frame)); cb?.(); },
        close: () => fake.terminate(),
        terminate: () => {
          if (fake.closed) return;
          fake.closed = true;
          fake.readyState = 3;
          setImmediate(() => ee.emit('close'));
        },
      });
      wss.emit('connection', fake, { socket: { remoteAddress, remotePort: 40002 } });
      return fake;
    };
    const again = connect('10.0.0.7');
    assert.deepEqual(again.sent.map((m) => (m.type === 'DISCONNECT' ? m.reason : m.type)), ['BANNED'], 'refused before any HELLO');
    assert.ok(again.closed);
    const mapped = connect('::ffff:10.0.0.7');
    assert.equal(mapped.sent[0]?.type === 'DISCONNECT' ? mapped.sent[0].reason : undefined, 'BANNED', 'the same IP as a dual-stack socket reports it');
    const other = connect('10.0.0.8');
    assert.equal(other.sent[0]?.type, 'HELLO', 'another IP is greeted');
    other.terminate();
    await rejectsWith(a.net.dial('10.0.0.7', 38291), 'P2P_BANNED');
  } finally {
    await closeAll(a);
  }
});
