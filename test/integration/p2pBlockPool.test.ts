/**
 * The block pool with real nodes on 127.0.0.1 (issue 12): a fresh Coordinator with its P2pNode
 * syncs a chain with transfers (in-shard and cross-shard) served by several peers over ws, each
 * frame delayed a little (PeerTimings.sendDelayMs) so that a sync spans many round trips:
 * every peer serves part of the blocks; killing the peer being synced from mid-sync does not
 * stop it; a peer that stops answering block requests is dropped by its score and banned.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { equalBytes, toHex } from '../../src/core/bytes.js';
import { Coordinator } from '../../src/cluster/coordinator.js';
import { P2pNode, type P2pOptions } from '../../src/cluster/p2pNode.js';
import { P2pSlot } from '../../src/cluster/p2pView.js';
import { SCORE_MAX } from '../../src/p2p/peerScore.js';
import type { LocalNet } from '../utils/localNet.js';
import { buildChain, chainDump, LocalSource, serveChains, type ChainDump, type ChainServer, type ServerOptions } from '../../bench/syncPeers.js';
import { coordinatorSyncTarget } from '../../src/cluster/p2pServe.js';
import { RootSynchronizer } from '../../src/p2p/sync/rootSynchronizer.js';
import { until as waitUntil } from '../utils/until.js';

/** Root blocks of the served chain: with one root block per batch, a dozen batches to share out. */
const ROUNDS = 12;
/** One-way delay per frame: each batch takes a few round trips, so the sync outlasts the connects. */
const DELAY_MS = 15;
/** Generous for a loaded 2-core machine; a stuck sync still fails. */
const WAIT_MS = 30_000;

let src: LocalNet;
let dump: ChainDump;
before(async () => {
  src = await buildChain(ROUNDS);
  dump = await chainDump(src);
});
after(async () => {
  await src.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const until = (what: string, cond: () => boolean, ms = WAIT_MS): Promise<void> => waitUntil(what, cond, ms, 5);

interface Fresh {
  readonly c: Coordinator;
  readonly p2p: P2pNode;
}

async function fresh(servers: ChainServer[], o: Partial<P2pOptions> = {}): Promise<Fresh> {
  const slot = new P2pSlot();
  const c = await Coordinator.start({ config: src.cfg, datadir: null, inProcess: true, log: () => undefined, p2p: slot });
  const p2p = await P2pNode.start(c, {
    port: 0, peers: servers.map((s) => s.url), slot, timings: { sendDelayMs: DELAY_MS }, sync: { bodyBatch: 1 }, ...o,
  });
  return { c, p2p };
}

async function withServers(opts: ServerOptions[], fn: (servers: ChainServer[]) => Promise<void>): Promise<void> {
  const servers: ChainServer[] = [];
  try {
    servers.push(...(await serveChains(dump, opts.map((o) => ({ timings: { sendDelayMs: DELAY_MS }, ...o })))));
    await fn(servers);
  } finally {
    for (const s of servers) await s.net.close();
  }
}

async function stop(f: Fresh): Promise<void> {
  await f.p2p.close();
  await f.c.stop();
}

const synced = (f: Fresh): boolean => equalBytes(f.c.root.tip.hash, src.root.tip.hash);

test('block pool: a node syncs from three peers at once and every peer serves part of the blocks; it announces the tip it reached once', async () => {
  await withServers([{}, {}, {}], async (servers) => {
    const f = await fresh(servers);
    try {
      await until('synced', () => synced(f));
      for (const s of servers) assert.ok(s.served > 0, `peer ${s.url} served block requests`);
      for (const s of servers) assert.equal(f.p2p.isBanned(s.nodeId), false);
      // Each peer was sent one header request, the head start behind our HELLO; the sync's first (and here only) query used it.
      assert.deepEqual(servers.map((s) => s.rootHeaderRequests), [1, 1, 1]);
      // The peers' shard tips (in their HELLOs) are offered to shard sync at the task's end, when the root blocks
      // brought their blocks: no shard sync starts (offered at each root block, the last ones started one each).
      await sleep(4 * DELAY_MS);
      assert.deepEqual(servers.map((s) => s.shardHeaderRequests), [0, 0, 0]);
      const conservation = await f.c.conservation();
      assert.equal(conservation.ok, true, 'conservation holds on the synced node (cross-shard deposits included)');
      // The tips a sync adds are announced at the task's end, once, not block by block.
      await until('the synced tip announced', () => servers.every((s) => (s.announced.get('NEW_ROOT_TIP') ?? 0) >= 1));
      await sleep(4 * DELAY_MS);
      for (const s of servers) {
        assert.equal(s.announced.get('NEW_ROOT_TIP'), 1, `one root tip announced of ${ROUNDS} root blocks added`);
        assert.ok((s.announced.get('NEW_SHARD_TIP') ?? 0) <= src.ids.length, 'at most one shard tip per shard');
      }
    } finally {
      await stop(f);
    }
  });
});

test('block pool: a node behind on the same chain searches for the ancestor, then takes the headers above it from the head start sent behind its HELLO', async () => {
  const half = ROUNDS / 2;
  const c = await Coordinator.start({ config: src.cfg, datadir: null, inProcess: true, log: () => undefined, p2p: new P2pSlot() });
  let p2p: P2pNode | undefined;
  try {
    // The first half of the chain, from an in-process source: the node restarts behind.
    const local = new RootSynchronizer(coordinatorSyncTarget(c, () => Math.floor(Date.now() / 1000)), { onFault: () => undefined });
    local.onPeerTip('local', new LocalSource(src), src.root.index.canonicalAt(half)!.block.header);
    await local.whenIdle();
    assert.equal(c.root.tip.height, half);
    await withServers([{}], async ([server]) => {
      p2p = await P2pNode.start(c, { port: 0, peers: [server!.url], timings: { sendDelayMs: DELAY_MS } });
      await until('synced', () => equalBytes(c.root.tip.hash, src.root.tip.hash));
      // The head start (from height half + 1) and the ancestor search's samples; the headers above the ancestor were the head start's.
      assert.equal(server!.rootHeaderRequests, 2);
      await p2p.close();
    });
  } finally {
    await p2p?.close();
    await c.stop();
  }
});

test('block pool: killing the peer being synced from mid-sync does not stop the sync', async () => {
  await withServers([{}, {}, {}], async (servers) => {
    const f = await fresh(servers, { sync: { bodyBatch: 1, maxInFlightPerPeer: 1 } });
    try {
      await until('a few blocks in', () => f.c.root.tip.height >= 2);
      const current = f.p2p.sync.current;
      const victim = servers.find((s) => toHex(s.nodeId) === current);
      assert.ok(victim, 'a task runs from one of the peers');
      assert.ok(f.c.root.tip.height < ROUNDS, 'mid-sync');
      await victim.net.close();
      await until('synced without the killed peer', () => synced(f));
      for (const s of servers) assert.equal(f.p2p.isBanned(s.nodeId), false, 'nobody banned');
    } finally {
      await stop(f);
    }
  });
});

test('block pool: a peer that stops answering block requests is dropped by its score and banned; the sync completes', async () => {
  await withServers([{ misbehave: 'stall', stallAfter: 0 }, {}, {}], async (servers) => {
    const requestTimeoutMs = 300;
    const f = await fresh(servers, { timings: { sendDelayMs: DELAY_MS, requestTimeoutMs }, sync: { bodyBatch: 1, requestTimeoutMs: requestTimeoutMs + 1_000 } });
    try {
      await until('synced', () => synced(f));
      const [staller, ...good] = servers as [ChainServer, ...ChainServer[]];
      await until('the staller is dropped', () => f.p2p.isBanned(staller.nodeId));
      // The ban is at once; the disconnect takes its DISCONNECT frame's delay.
      await until('the staller disconnected', () => !f.p2p.peers().some((p) => p.nodeId && equalBytes(p.nodeId, staller.nodeId)));
      for (const s of good) assert.equal(f.p2p.isBanned(s.nodeId), false, 'good peers not banned');
      const scores = f.p2p.view().peerInfo().map((p) => p.score);
      assert.equal(scores.length, good.length);
      for (const sc of scores) assert.equal(sc, SCORE_MAX, 'good peers keep a full score');
    } finally {
      await stop(f);
    }
  });
});
