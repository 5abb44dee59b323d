/**
 * Root sync over real `ws` sockets on 127.0.0.1: a node serving its LocalNet chain through
 * Network, and a syncing node running RootSynchronizer over PeerSyncSource. A node serving bad
 * seals is penalised (disconnected, banned) and sync goes on with a good one. Every network and
 * LocalNet is closed in `finally`.
 */
import { consensusParams } from '../../src/consensus/consensusParams.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { toHex, type Bytes } from '../../src/core/bytes.js';
import type { MinorBlock } from '../../src/core/minorBlock.js';
import { rootSealHash, type RootHeader } from '../../src/core/rootBlock.js';
import { Network, type NetworkHandler } from '../../src/p2p/network.js';
import type { Peer, ResponseBody, ServedRequest } from '../../src/p2p/peer.js';
import type { PeerFault } from '../../src/p2p/peerFault.js';
import { PeerSyncSource } from '../../src/p2p/sync/peerSyncSource.js';
import { RootSynchronizer } from '../../src/p2p/sync/rootSynchronizer.js';
import { serveRootBlocks, serveRootHeaders } from '../../src/p2p/sync/serveRootHeaders.js';
import { findNonce } from '../utils/blockEdit.js';
import type { LocalNet } from '../utils/localNet.js';
import { copyChain, mineRounds, netTarget, openNet } from '../unit/p2p/sync/syncFixtures.js';
import { until as waitUntil } from '../utils/until.js';

/** Long enough for a loaded 2-core machine, short enough that a stuck sync fails fast. */
const WAIT_MS = 10_000;

/** Answers requests from `net`'s chain; `tamper` may change root headers on their way out. */
async function serve(net: LocalNet, m: ServedRequest, tamper?: (h: RootHeader) => RootHeader): Promise<ResponseBody> {
  const rootTip = net.root.tip.block.header;
  switch (m.type) {
    case 'GET_ROOT_HEADERS':
      return { type: 'ROOT_HEADERS', rootTip, headers: serveRootHeaders(net.root.index, m).map((h) => tamper?.(h) ?? h) };
    case 'GET_ROOT_BLOCKS':
      return { type: 'ROOT_BLOCKS', blocks: serveRootBlocks(net.root.index, m.hashes) };
    case 'GET_SHARD_BLOCKS': {
      const blocks: MinorBlock[] = [];
      for (const h of m.hashes) {
        const b = await net.chain(m.shardId).getBlock(h);
        if (b) blocks.push(b);
      }
      return { type: 'SHARD_BLOCKS', shardId: m.shardId, blocks };
    }
    case 'GET_SHARD_HEADERS':
      return new Promise<ResponseBody>(() => undefined); // not used by root sync
  }
}

interface SyncNode {
  readonly net: LocalNet;
  readonly p2p: Network;
  readonly faults: Array<{ peer: Peer; fault: PeerFault }>;
  readonly sync: RootSynchronizer;
}

/** A node on `net`: serves its chain, and syncs its root chain from every peer's announced tips. */
async function node(net: LocalNet, tamper?: (h: RootHeader) => RootHeader): Promise<SyncNode> {
  const faults: Array<{ peer: Peer; fault: PeerFault }> = [];
  const peersById = new Map<string, Peer>();
  let p2p: Network | undefined;
  const sync = new RootSynchronizer(netTarget(net), {
    onFault: (id, fault) => {
      const peer = peersById.get(id);
      if (!peer) return;
      faults.push({ peer, fault });
      p2p!.penalise(peer, fault);
    },
  });
  const track = (peer: Peer, tip: RootHeader): void => {
    const id = toHex(peer.nodeId!);
    peersById.set(id, peer);
    sync.onPeerTip(id, new PeerSyncSource(peer), tip);
  };
  const handler: NetworkHandler = {
    onPeer: (peer) => track(peer, peer.hello!.rootTip),
    onAnnounce: (peer, msg) => { if (msg.type === 'NEW_ROOT_TIP') track(peer, msg.rootTip); },
    onRequest: (_peer, m) => serve(net, m, tamper),
    onPeerClosed: (peer) => sync.removePeer(toHex(peer.nodeId!)),
    onFault: (peer, fault) => faults.push({ peer, fault }),
  };
  p2p = await Network.listen({
    node: {
      networkId: net.cfg.networkId, genesisRootHash: net.root.index.genesis.hash, params: consensusParams(net.cfg), nodeId: randomBytes(32),
      tips: () => ({ rootTip: net.root.tip.block.header, shardTips: net.ids.map((id) => net.chain(id).tip.header) }),
    },
    handler, port: 0,
  });
  return { net, p2p, faults, sync };
}

const until = (what: string, cond: () => boolean): Promise<void> => waitUntil(what, cond, WAIT_MS, 10);

const sameTip = (a: LocalNet, b: LocalNet): boolean => toHex(a.root.tip.hash) === toHex(b.root.tip.hash);

test('p2p sync: a fresh node dials a node 5 root blocks ahead and catches up, then follows an announced new tip', async () => {
  const nets = [await openNet(), await openNet()];
  const [aNet, bNet] = nets as [LocalNet, LocalNet];
  const nodes: SyncNode[] = [];
  try {
    await mineRounds(aNet, 5);
    bNet.now = aNet.now;
    const a = await node(aNet);
    const b = await node(bNet);
    nodes.push(a, b);
    await b.p2p.dial('127.0.0.1', a.p2p.port);
    await until('b synced to a', () => sameTip(aNet, bNet));
    for (const id of aNet.ids) assert.equal(toHex(bNet.chain(id).confirmedTip.hash), toHex(aNet.chain(id).confirmedTip.hash));
    await mineRounds(aNet, 2);
    bNet.now = aNet.now;
    assert.equal(a.p2p.broadcast({ type: 'NEW_ROOT_TIP', rootTip: aNet.root.tip.block.header }), 1);
    await until('b follows the new tip', () => sameTip(aNet, bNet));
    await b.sync.whenIdle();
    assert.deepEqual(b.faults, []);
    assert.deepEqual(a.faults, []);
  } finally {
    for (const n of nodes) await n.p2p.close();
    for (const n of nets) await n.close();
  }
});

test('p2p sync: a node serving a bad seal is disconnected and banned, and sync completes from a good node', async () => {
  const nets = [await openNet(), await openNet(), await openNet()];
  const [goodNet, badNet, bNet] = nets as [LocalNet, LocalNet, LocalNet];
  const nodes: SyncNode[] = [];
  try {
    // Both serve the same heavy chain; the bad one breaks the seal of header 2 in every answer.
    await mineRounds(goodNet, 4);
    await copyChain(goodNet, badNet, 4);
    bNet.now = goodNet.now;
    const algo = goodNet.cfg.root.algo;
    const breakSeal = (h: RootHeader): RootHeader =>
      (h.height === 2 ? { ...h, nonce: findNonce(algo, rootSealHash(h), h.difficulty, h.height, h.mixhash, false, h.nonce + 1n) } : h);
    const bad = await node(badNet, breakSeal);
    const good = await node(goodNet);
    const b = await node(bNet);
    nodes.push(bad, good, b);
    const badPeer = await b.p2p.dial('127.0.0.1', bad.p2p.port);
    await until('the bad peer is penalised', () => b.faults.some((f) => f.fault.fault === 'P2P_BAD_SEAL'));
    await until('the bad peer is gone', () => badPeer.isClosed);
    assert.ok(b.p2p.isBanned(badPeer.hello!.nodeId as Bytes), 'banned by node id');
    assert.equal(badPeer.closeReason?.reason, 'BAD_BLOCK');
    assert.equal(bNet.root.tip.height, 0, 'nothing was added from the bad peer');
    await b.p2p.dial('127.0.0.1', good.p2p.port);
    await until('b synced from the good peer', () => sameTip(goodNet, bNet));
    await b.sync.whenIdle();
  } finally {
    for (const n of nodes) await n.p2p.close();
    for (const n of nets) await n.close();
  }
});
