/**
 * Two real Coordinators synced over real `ws` sockets on 127.0.0.1 (DESIGN §10): node A mines
 * (algo `simulate`, 1 s blocks), node B joins with A's address as its --peer, reaches A's root
 * tip with the same root chain, the same shard blocks confirmed and conservation holding, then
 * follows the root blocks A mines next. One test runs real shard workers and LevelDB for B; the
 * others run shards in-thread. A peer sending garbage is disconnected (and banned once
 * handshaken) while B keeps syncing; a mining node with a fork of its own re-organises to the
 * heavier chain, and the other node then follows it back.
 */
import { consensusParams } from '../../src/consensus/consensusParams.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { toHex, type Bytes } from '../../src/core/bytes.js';
import { defaultConfig, type Config } from '../../src/core/config.js';
import { decodeMinorBlock, minorBlockHash } from '../../src/core/minorBlock.js';
import { Coordinator } from '../../src/cluster/coordinator.js';
import { P2pNode, type P2pOptions } from '../../src/cluster/p2pNode.js';
import { P2pSlot } from '../../src/cluster/p2pView.js';
import { decodeMessage, encodeMessage, PROTOCOL_VERSION, type Message } from '../../src/p2p/messages.js';
import { until as waitUntil } from '../utils/until.js';

/** Root and shard block times of the test chains: whole-second timestamps allow no faster. */
const BLOCK_SEC = 1;
/** Generous for a loaded 2-core machine running another test beside this one; a stuck sync still fails. */
const WAIT_MS = 60_000;
/** Signed dev transfers per second while A mines, half cross-shard, so synced blocks carry deposits. */
const TX_RATE = 10;
/** A frame whose type byte (0xee) names no message. */
const GARBAGE = Buffer.from('ee'.repeat(64), 'hex');

const hex = toHex;

function fastConfig(): Config {
  const base = defaultConfig({ shards: 2, algo: 'simulate' });
  return {
    ...base,
    root: { ...base.root, targetBlockTime: BLOCK_SEC },
    chains: base.chains.map((c) => ({ ...c, consensus: { ...c.consensus, targetBlockTime: BLOCK_SEC } })),
  };
}

/** Each coordinator's P2P slot, wired as src/node.ts wires them: given at construction, filled by its P2P node. */
const slots = new WeakMap<Coordinator, P2pSlot>();

async function startCoordinator(cfg: Config, datadir: string | null, inProcess = false): Promise<Coordinator> {
  const slot = new P2pSlot();
  const c = await Coordinator.start({ config: cfg, datadir, inProcess, log: () => undefined, p2p: slot });
  slots.set(c, slot);
  return c;
}

const startP2p = (c: Coordinator, o: P2pOptions): Promise<P2pNode> => P2pNode.start(c, { ...o, slot: slots.get(c)! });

const until = (what: string, cond: () => boolean | Promise<boolean>, ms = WAIT_MS): Promise<void> => waitUntil(what, cond, ms, 50);

/** True when `c`'s root tip confirms a shard block past genesis. */
const confirmsShardBlocks = (c: Coordinator): boolean =>
  c.shardIds.some((id) => (c.root.committedHeader(c.root.tip.confirmed.get(id)!)?.height ?? 0) > 0);

/** Mines on `c` until its root tip is at `height` or above (and, with `confirmed`, confirms shard blocks), then stops sealing. */
async function mineTo(c: Coordinator, height: number, txRate = 0, confirmed = true): Promise<void> {
  await c.setMining(true, txRate);
  await until(`root height ${height}`, () => c.root.tip.height >= height && (!confirmed || confirmsShardBlocks(c)));
  await c.setMining(false);
}

const sameTip = (a: Coordinator, b: Coordinator): boolean => hex(a.root.tip.hash) === hex(b.root.tip.hash);

/**
 * Waits until B's root tip is A's, then checks: the same canonical root block at every height,
 * each of B's shards storing the block A's root tip confirms, and — when B sealed no shard block
 * of its own (`exactShardTips`) — B's shard tips reaching A's (shard sync follows a peer's shard
 * tips beyond what root blocks confirm), and B's conservation equation exact.
 */
async function assertSynced(a: Coordinator, b: Coordinator, bP2p: P2pNode, exactShardTips = true): Promise<void> {
  await until(`b to reach a's root tip at height ${a.root.tip.height}`, () => sameTip(a, b));
  await bP2p.sync.whenIdle();
  const shardTips = async (c: Coordinator): Promise<string[]> => (await c.status()).shards.map((x) => hex(x.tip.hash));
  if (exactShardTips) {
    await until('b\'s shard tips to reach a\'s', async () => (await shardTips(b)).join() === (await shardTips(a)).join());
    await bP2p.shards.sync.whenIdle();
  }
  for (let h = 0; h <= a.root.tip.height; h++) {
    assert.equal(hex(b.root.index.canonicalAt(h)!.hash), hex(a.root.index.canonicalAt(h)!.hash), `root block at height ${h}`);
  }
  const st = await b.status();
  let confirmedHeights = 0;
  for (const [i, id] of a.shardIds.entries()) {
    const confirmed = a.root.tip.confirmed.get(id)!;
    assert.equal(hex(b.root.tip.confirmed.get(id)!), hex(confirmed));
    const stored = await b.shard(id).minorBlock({ hash: confirmed });
    assert.ok(stored && stored.canonical, `b's shard 0x${id.toString(16)} stores the confirmed block on its canonical chain`);
    const block = decodeMinorBlock(stored.block);
    assert.equal(hex(minorBlockHash(block)), hex(confirmed));
    confirmedHeights += block.header.height;
    assert.ok(st.shards[i]!.tip.height >= block.header.height);
  }
  assert.ok(confirmedHeights > 0, 'shard blocks were confirmed and synced, not only root blocks');
  const c = await b.conservation();
  assert.ok(c.ok, `b's conservation: ${c.balances} + ${c.inFlight} ≠ ${c.expected}`);
}

/** Stops everything started (P2P first, so no sync task outlives its coordinator). */
async function shutdown(parts: { p2p: (P2pNode | undefined)[]; nodes: (Coordinator | undefined)[] }): Promise<void> {
  for (const p of parts.p2p) await p?.close();
  for (const n of parts.nodes) await n?.stop();
}

test('p2p node: B joins A (real shard workers, B on LevelDB), reaches its root tip and confirmed shard blocks, follows new root blocks, and keeps them after a restart', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shardminer-p2p-'));
  const cfg = fastConfig();
  const started: { p2p: (P2pNode | undefined)[]; nodes: (Coordinator | undefined)[] } = { p2p: [], nodes: [] };
  try {
    const a = await startCoordinator(cfg, null);
    started.nodes.push(a);
    await mineTo(a, 3, TX_RATE);
    const aP2p = await startP2p(a, { port: 0 });
    started.p2p.push(aP2p);
    const b = await startCoordinator(cfg, dir);
    started.nodes.push(b);
    const bP2p = await startP2p(b, { port: 0, peers: [aP2p.url] });
    started.p2p.push(bP2p);
    await assertSynced(a, b, bP2p);
    assert.equal(b.isMining(), false);

    const before = a.root.tip.height;
    await mineTo(a, before + 2, TX_RATE);
    await assertSynced(a, b, bP2p);
    assert.equal(bP2p.peers().length, 1);
    assert.equal(aP2p.peers().length, 1);

    // What B synced is on disk: reopened, it is at the same root tip and shard tips.
    const bTips = (await b.status()).shards.map((x) => hex(x.tip.hash));
    await bP2p.close();
    await b.stop();
    started.nodes.pop();
    const again = await startCoordinator(cfg, dir);
    started.nodes.push(again);
    assert.equal(hex(again.root.tip.hash), hex(a.root.tip.hash));
    const st = await again.status();
    assert.deepEqual(st.shards.map((x) => hex(x.tip.hash)), bTips);
    assert.ok((await again.conservation()).ok);
  } finally {
    await shutdown(started);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Opens a raw socket to `url`, optionally sends a HELLO, then garbage; resolves with what came back once the node closed it. */
async function garbagePeer(url: string, hello?: Message): Promise<{ received: Message[]; closed: boolean }> {
  const ws = new WebSocket(url);
  const received: Message[] = [];
  const closed = new Promise<boolean>((resolve) => ws.on('close', () => resolve(true)));
  ws.on('message', (data) => {
    try {
      const m = decodeMessage(new Uint8Array(data as Buffer));
      received.push(m);
      if (m.type === 'HELLO' && hello) ws.send(GARBAGE, { binary: true }); // handshaken: now the garbage
    } catch {
      // only the node's messages are decoded here
    }
  });
  ws.on('error', () => undefined);
  // Sent inside the 'open' event: the node's HELLO may arrive in the same read as the upgrade and
  // be emitted before any continuation of ours runs, and ours must go first.
  ws.once('open', () => ws.send(hello ? encodeMessage(hello) : GARBAGE, { binary: true }));
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([closed, new Promise<boolean>((r) => { timer = setTimeout(() => r(false), WAIT_MS); })]);
  clearTimeout(timer);
  ws.terminate();
  return { received, closed: result };
}

test('p2p node: peers sending garbage are disconnected (a handshaken one banned), a port in use is refused, and B keeps following A', { timeout: 120_000 }, async () => {
  const cfg = fastConfig();
  const started: { p2p: (P2pNode | undefined)[]; nodes: (Coordinator | undefined)[] } = { p2p: [], nodes: [] };
  try {
    const a = await startCoordinator(cfg, null, true);
    started.nodes.push(a);
    await mineTo(a, 2);
    const aP2p = await startP2p(a, { port: 0 });
    started.p2p.push(aP2p);
    const b = await startCoordinator(cfg, null, true);
    started.nodes.push(b);
    const bP2p = await startP2p(b, { port: 0, peers: [aP2p.url] });
    started.p2p.push(bP2p);
    await assertSynced(a, b, bP2p);

    // A port in use is a coded error naming it, not a crash.
    await assert.rejects(startP2p(b, { port: aP2p.port }), (e: Error) => {
      assert.match(e.message, new RegExp(`^PORT_IN_USE: p2p: cannot listen on 127\\.0\\.0\\.1:${aP2p.port}: the port is in use; another node may be running: stop it, or pass --ports-offset 1, --p2p-port 0 \\(any free port\\) or --no-p2p$`));
      return true;
    });

    // Before any HELLO: undecodable, so DISCONNECT BAD_MESSAGE and closed.
    const raw = await garbagePeer(bP2p.url);
    assert.equal(raw.closed, true, 'b closed the garbage connection');
    const bye = raw.received.find((m) => m.type === 'DISCONNECT');
    assert.ok(bye && bye.type === 'DISCONNECT' && bye.reason === 'BAD_MESSAGE', `b said ${JSON.stringify(bye)}`);

    // After a valid HELLO: the same, and its node id is banned.
    const nodeId = randomBytes(32);
    const hello: Message = {
      type: 'HELLO', protocolVersion: PROTOCOL_VERSION, networkId: cfg.networkId, genesisRootHash: b.root.index.genesis.hash, params: consensusParams(cfg),
      nodeId, listenPort: 0, rootTip: b.root.index.genesis.block.header, shardTips: [],
    };
    const shaken = await garbagePeer(bP2p.url, hello);
    assert.equal(shaken.closed, true);
    // BAD_MESSAGE, not a HELLO refusal (GENESIS, NETWORK_ID...): our HELLO had passed.
    assert.ok(shaken.received.some((m) => m.type === 'DISCONNECT' && m.reason === 'BAD_MESSAGE'), `b said ${JSON.stringify(shaken.received.map((m) => m.type))}`);
    assert.equal(bP2p.isBanned(nodeId as Bytes), true);

    // B still runs, still has A (only A, not banned), and still follows it.
    await until('b to drop the garbage peer', () => bP2p.peers().length === 1);
    const [left] = bP2p.peers();
    assert.notEqual(hex(left!.nodeId!), hex(nodeId));
    assert.equal(bP2p.isBanned(left!.nodeId!), false, 'a is not banned');
    // What the coordinator and RPC (`syncing`, `peers`) see of it.
    assert.equal(b.p2p.syncing(), false);
    assert.deepEqual(b.p2p.peers(), [left!.address]);
    await mineTo(a, a.root.tip.height + 1);
    await assertSynced(a, b, bP2p);
    await bP2p.close();
    assert.equal(slots.get(b)!.attached, false, 'closing detaches P2P from the coordinator');
    assert.deepEqual(b.p2p.peers(), []);
  } finally {
    await shutdown(started);
  }
});

test('p2p node: a mining node with a fork of its own re-organises to the heavier chain, keeps mining on it, and the other node follows back', { timeout: 120_000 }, async () => {
  const cfg = fastConfig();
  const started: { p2p: (P2pNode | undefined)[]; nodes: (Coordinator | undefined)[] } = { p2p: [], nodes: [] };
  try {
    const a = await startCoordinator(cfg, null, true);
    const b = await startCoordinator(cfg, null, true);
    started.nodes.push(a, b);
    await mineTo(b, 1, 0, false); // b's own fork: about one root block
    // A margin of root blocks, so that b, mining until its sync starts, cannot overtake a first.
    await mineTo(a, b.root.tip.height + 4);
    const forkBlock = b.root.index.canonicalAt(1)!.hash;
    assert.notEqual(hex(forkBlock), hex(a.root.index.canonicalAt(1)!.hash));
    const aP2p = await startP2p(a, { port: 0 });
    started.p2p.push(aP2p);
    await b.setMining(true); // b keeps mining while it joins
    const bP2p = await startP2p(b, { port: 0, peers: [aP2p.url] });
    started.p2p.push(bP2p);
    const aTip = a.root.tip;
    await until('b to adopt a\'s chain', () => b.root.index.canonicalAt(aTip.height)?.key === aTip.key);
    await until('b to mine on top of it', () => b.root.tip.height > aTip.height);
    await b.setMining(false);
    assert.equal(b.root.index.isCanonical(b.root.index.get(forkBlock)!), false, 'b\'s own fork is off its chain');
    await assertSynced(b, a, aP2p, false); // a follows b's new blocks back (a's own unconfirmed shard blocks may still be its tips)
    assert.ok((await b.conservation()).ok);
  } finally {
    await shutdown(started);
  }
});
