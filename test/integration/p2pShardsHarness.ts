/**
 * Parts for the shard P2P integration tests (p2pShards*.test.ts): real Coordinators with a real
 * P2pNode on 127.0.0.1 (port 0), a scriptable fake peer built on the real `Network` (it records
 * what it is sent and serves requests from a producer's chain), and a producer: a Coordinator
 * without P2P whose shard and root blocks the tests hand to peers (sealed well or badly).
 */
import { consensusParams } from '../../src/consensus/consensusParams.js';
import { randomBytes } from 'node:crypto';
import { defaultKeyOf } from '../../src/core/branch.js';
import { toHex, type Bytes } from '../../src/core/bytes.js';
import { allShardIds, defaultConfig, type Config, type ConfigOptions } from '../../src/core/config.js';
import { decodeMinorBlock, encodeMinorBlock, minorHeaderHash, minorSealHash, type MinorBlock } from '../../src/core/minorBlock.js';
import { rootHeaderHash, type RootBlock } from '../../src/core/rootBlock.js';
import { signTx } from '../../src/crypto/keys.js';
import { GAS_TRANSFER } from '../../src/consensus/gas.js';
import { devAccounts, minorGenesis, rootGenesis } from '../../src/consensus/genesis.js';
import type { Transaction } from '../../src/core/transaction.js';
import { Coordinator } from '../../src/cluster/coordinator.js';
import { P2pNode, type P2pOptions } from '../../src/cluster/p2pNode.js';
import { serveRequest } from '../../src/cluster/p2pServe.js';
import { P2pSlot } from '../../src/cluster/p2pView.js';
import { NODE_ID_LEN } from '../../src/p2p/limits.js';
import { Network } from '../../src/p2p/network.js';
import type { Announcement, Peer, ResponseBody, ServedRequest } from '../../src/p2p/peer.js';
import { findNonce, minorAlgo, resealRoot } from '../utils/blockEdit.js';
import { until as waitUntil } from '../utils/until.js';

/** Generous for a loaded 2-core machine running another test file beside this one; a stuck path still fails. */
export const WAIT_MS = 60_000;
/** Root and shard block times of the mining tests: whole-second timestamps allow no faster. */
export const BLOCK_SEC = 1;
/** Gas price of the test transfers (above the minimum, so pools take them). */
const GAS_PRICE = 1_000_000_000n;
/** Gas limit of a cross-shard test transfer (the transfer plus the deposit's gas). */
const XSHARD_GAS = 40_000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const hex = toHex;

/** `simulate` with 1 s blocks on 2 shards: the mining tests. */
export function miningConfig(): Config {
  const base = defaultConfig({ shards: 2, algo: 'simulate' });
  return {
    ...base,
    root: { ...base.root, targetBlockTime: BLOCK_SEC },
    chains: base.chains.map((c) => ({ ...c, consensus: { ...c.consensus, targetBlockTime: BLOCK_SEC } })),
  };
}

/** doublesha256 at a small difficulty: a wrong nonce fails the seal, a right one is found in a few thousand tries. */
export function sealedConfig(o: ConfigOptions = {}): Config {
  return defaultConfig({ shards: 2, algo: 'doublesha256', shardDifficulty: 1000n, rootDifficulty: 1000n, ...o });
}

export const until = (what: string, cond: () => boolean | Promise<boolean>, ms = WAIT_MS): Promise<void> => waitUntil(what, cond, ms, 50);

export interface TestNode {
  readonly c: Coordinator;
  readonly p2p: P2pNode;
  readonly log: string[];
}

/** Everything a test started, stopped in reverse order (P2P first, so no sync task outlives its coordinator). */
export class Parts {
  private readonly nodes: TestNode[] = [];
  private readonly coordinators: Coordinator[] = [];
  private readonly fakes: FakePeer[] = [];

  /** A coordinator with P2P on a free port, dialling `peers`. */
  async node(cfg: Config, o: { inProcess?: boolean; peers?: readonly string[]; p2p?: Partial<P2pOptions> } = {}): Promise<TestNode> {
    const log: string[] = [];
    const say = (l: string): void => {
      log.push(l);
      if (process.env.P2P_TEST_LOG) process.stderr.write(`${l}\n`);
    };
    const slot = new P2pSlot();
    const c = await Coordinator.start({ config: cfg, datadir: null, inProcess: o.inProcess ?? true, log: say, p2p: slot });
    this.coordinators.push(c);
    const p2p = await P2pNode.start(c, { port: 0, log: say, slot, ...(o.peers ? { peers: o.peers } : {}), ...o.p2p });
    const n = { c, p2p, log };
    this.nodes.push(n);
    return n;
  }

  /** A coordinator without P2P (a producer of blocks). */
  async producer(cfg: Config): Promise<Producer> {
    const c = await Coordinator.start({ config: cfg, datadir: null, inProcess: true, log: () => undefined });
    this.coordinators.push(c);
    return new Producer(c);
  }

  async fake(cfg: Config, serve?: Coordinator): Promise<FakePeer> {
    const f = await FakePeer.start(cfg, serve);
    this.fakes.push(f);
    return f;
  }

  async stop(): Promise<void> {
    for (const f of this.fakes.splice(0)) await f.close().catch(() => undefined);
    for (const n of this.nodes.splice(0).reverse()) await n.p2p.close().catch(() => undefined);
    for (const c of this.coordinators.splice(0).reverse()) await c.stop().catch(() => undefined);
  }
}

/** Makes blocks on its own chain (same genesis as the nodes) for tests to hand to peers. */
export class Producer {
  constructor(readonly c: Coordinator) {}

  /**
   * A block on shard `id`'s tip, sealed (or, with `goodSeal` false, with a nonce that fails the
   * seal), and added to the producer's chain unless `add` is false.
   */
  async shardBlock(id: number, o: { add?: boolean; goodSeal?: boolean; coinbase?: Bytes } = {}): Promise<MinorBlock> {
    const b = decodeMinorBlock(await this.c.shard(id).createBlockToMine(o.coinbase ?? null));
    const h = b.header;
    const nonce = findNonce(minorAlgo(this.c.config, id), minorSealHash(h), h.difficulty, h.height, h.mixhash, o.goodSeal ?? true);
    const sealed: MinorBlock = { ...b, header: { ...h, nonce } };
    if (o.add ?? true) await this.c.addShardBlock(id, encodeMinorBlock(sealed));
    return sealed;
  }

  /** A root block on the producer's root tip, listing its committed shard headers; added to its chain. */
  async rootBlock(): Promise<RootBlock> {
    const dev = devAccounts(this.c.config)[0]!;
    const rb = resealRoot(this.c.root.createBlockToMine(Math.floor(Date.now() / 1000), { recipient: dev.recipient, fullShardKey: defaultKeyOf(this.c.shardIds[0]!) }), this.c.config.root.algo);
    await this.c.addRootBlock(rb);
    return rb;
  }
}

/** A message a fake peer received, with the node it came from. */
export interface Received {
  readonly from: Peer;
  readonly msg: Announcement;
}

/**
 * A peer on the real Network that announces what the test tells it to, records every announcement
 * it gets, and answers requests from `serve`'s chain (none without one). Its HELLO carries the
 * genesis tips, so a node it joins starts no sync on its own.
 */
export class FakePeer {
  readonly received: Received[] = [];
  readonly requests: ServedRequest[] = [];
  readonly nodeId: Bytes;

  private constructor(readonly net: Network, nodeId: Bytes) {
    this.nodeId = nodeId;
  }

  static async start(cfg: Config, serve?: Coordinator): Promise<FakePeer> {
    const nodeId = randomBytes(NODE_ID_LEN);
    const genesis = rootGenesis(cfg);
    const shardTips = allShardIds(cfg).map((id) => minorGenesis(cfg, id).block.header);
    let self: FakePeer | undefined;
    const net = await Network.listen({
      node: { networkId: cfg.networkId, genesisRootHash: rootHeaderHash(genesis.header), params: consensusParams(cfg), nodeId, tips: () => ({ rootTip: genesis.header, shardTips }) },
      handler: {
        onAnnounce: (from, msg) => self!.received.push({ from, msg }),
        onRequest: (_p, m): Promise<ResponseBody> => {
          self!.requests.push(m);
          return serve ? serveRequest(serve, m) : new Promise<ResponseBody>(() => undefined);
        },
      },
    });
    self = new FakePeer(net, nodeId);
    return self;
  }

  /** Dials a node (`p2p.port`) and resolves once handshaken. */
  connect(node: TestNode): Promise<Peer> {
    return this.net.dial('127.0.0.1', node.p2p.port);
  }

  /** Announces to every node this peer is connected to. */
  send(msg: Announcement): number {
    return this.net.broadcast(msg);
  }

  sendBlock(shardId: number, block: MinorBlock): number {
    return this.send({ type: 'NEW_SHARD_BLOCK', shardId, block });
  }

  /** How many times this peer was sent shard block `block`. */
  blockCount(block: MinorBlock): number {
    const k = hex(minorHeaderHash(block.header));
    return this.received.filter((r) => r.msg.type === 'NEW_SHARD_BLOCK' && hex(minorHeaderHash(r.msg.block.header)) === k).length;
  }

  /** Shard blocks this peer was sent. */
  get blocksReceived(): number {
    return this.received.filter((r) => r.msg.type === 'NEW_SHARD_BLOCK').length;
  }

  close(): Promise<void> {
    return this.net.close();
  }
}

/** True once `c` stores shard block `b` (any fork). */
export const stores = (c: Coordinator, b: MinorBlock): boolean => c.root.isCommitted(minorHeaderHash(b.header));

/** A signed transfer from dev account `from` on shard `fromShard` to dev account `to` on shard `toShard`. */
export function transfer(cfg: Config, from: number, fromShard: number, to: number, toShard: number, nonce: number, value = 1_000n): Transaction {
  const devs = devAccounts(cfg);
  return signTx({
    nonce, gasPrice: GAS_PRICE, gasLimit: fromShard === toShard ? GAS_TRANSFER : XSHARD_GAS, to: { recipient: devs[to]!.recipient, fullShardKey: defaultKeyOf(toShard) },
    value, networkId: cfg.networkId, fromFullShardKey: defaultKeyOf(fromShard),
  }, devs[from]!.privateKey);
}

