/**
 * Peers for the sync benchmark and the block-pool integration tests: a chain built fast in a
 * LocalNet (doublesha256 at a low difficulty, so seals are real; transfers in every shard block,
 * half of them cross-shard), served over the real P2P transport (Network on 127.0.0.1) by
 * servers that may misbehave: stall after some requests, or serve root blocks with a broken seal.
 */
import { randomBytes } from 'node:crypto';
import type { Address } from '../src/core/address.js';
import type { Bytes } from '../src/core/bytes.js';
import { defaultKeyOf } from '../src/core/branch.js';
import { consensusParams } from '../src/consensus/consensusParams.js';
import { checkSeal, doubleSha256Digest, doubleSha256Meets } from '../src/consensus/seal.js';
import { keyOf } from '../src/core/bytes.js';
import { decodeMinorBlock, decodeMinorHeader, encodeMinorBlock, encodeMinorHeader, minorBlockHash, minorHeaderHash, type MinorBlock, type MinorHeader } from '../src/core/minorBlock.js';
import { decodeRootBlock, encodeRootBlock, rootHeaderHash, rootSealHash, type RootBlock } from '../src/core/rootBlock.js';
import type { HeaderQuery } from '../src/p2p/messageTypes.js';
import { Network, type NetworkHandler } from '../src/p2p/network.js';
import type { PeerTimings, ResponseBody, ServedRequest } from '../src/p2p/peer.js';
import { bundleShardBlocks, serveRootBlocks, serveRootHeaders, type RootChainView } from '../src/p2p/sync/serveRootHeaders.js';
import type { RootHeadersReply, ShardHeadersReply, SyncSource } from '../src/p2p/sync/syncSource.js';
import { LocalNet, sealRoot, testConfig } from '../test/utils/localNet.js';

/** Root difficulty: ~1 nonce in 1000 seals, so a changed nonce almost surely breaks the seal, and building stays fast. */
export const CHAIN_ROOT_DIFFICULTY = 1000n;
export const CHAIN_SHARDS = 2;
/** The dev account that sends the transfers (funded on every shard at genesis), and the one receiving them. */
const SENDER = 1;
const RECEIVER = 2;
const GWEI = 1_000_000_000n;

export const chainConfig = (): ReturnType<typeof testConfig> => testConfig({ shards: CHAIN_SHARDS, rootDifficulty: CHAIN_ROOT_DIFFICULTY });

/** Transfers per shard block by default: one in-shard, one cross-shard. */
export const DEFAULT_TXS_PER_BLOCK = 2;

/** `rounds` root blocks, each confirming one block per shard holding `txs` transfers, every other one cross-shard. */
export async function buildChain(rounds: number, txs = DEFAULT_TXS_PER_BLOCK): Promise<LocalNet> {
  const net = await LocalNet.open(chainConfig());
  const nonces = new Map<number, number>();
  const to = (shard: number): Address => ({ recipient: net.devs[RECEIVER]!.recipient, fullShardKey: defaultKeyOf(shard) });
  for (let r = 0; r < rounds; r++) {
    for (const id of net.ids) {
      const other = net.ids.find((s) => s !== id)!;
      for (let i = 0; i < txs; i++) {
        const n = nonces.get(id) ?? 0;
        await net.chain(id).addTx(net.sign(SENDER, id, to(i % 2 === 0 ? id : other), GWEI, n));
        nonces.set(id, n + 1);
      }
      await net.mineShard(id);
    }
    await mineRoot(net);
  }
  return net;
}

/**
 * LocalNet's mineRoot, a root block time apart: LocalNet's clock moves 1 s per block, so 300 root
 * blocks 3 s apart (target 10 s) drove the root difficulty far above CHAIN_ROOT_DIFFICULTY and
 * building the chain took minutes of nonce search (LocalNet's sealNonce also throws and catches
 * an error per miss). Spaced at the target time the difficulty stays near its genesis value; the
 * nonce search here throws nothing, and the consensus rule itself decides.
 */
async function mineRoot(net: LocalNet): Promise<void> {
  const lastRoot = net.root.tip.block.header.createTime;
  net.now = Math.max(net.now + 1, lastRoot + net.cfg.root.targetBlockTime);
  const rb = net.root.createBlockToMine(net.now, net.coinbase(net.ids[0]!));
  if (net.cfg.root.algo !== 'doublesha256') {
    await net.addRootBlock(sealRoot(rb, net.cfg));
    return;
  }
  const sealHash = rootSealHash(rb.header);
  let nonce = 0n;
  while (!doubleSha256Meets(doubleSha256Digest(sealHash, nonce), rb.header.difficulty)) nonce++;
  await net.addRootBlock({ ...rb, header: { ...rb.header, nonce } });
}

export type Misbehaviour = 'none' | 'stall' | 'badSeal';

export interface ServerOptions {
  readonly misbehave?: Misbehaviour;
  /** A staller answers this many block requests (bundled shard blocks counted as the requests they save, see ChainServer), then none. */
  readonly stallAfter?: number;
  readonly timings?: Partial<PeerTimings>;
}

/** A built chain as plain bytes (it crosses to the server process), and what a HELLO needs. */
export interface ChainDump {
  readonly networkId: number;
  /** Canonical root blocks from genesis, encoded. */
  readonly rootBlocks: readonly Uint8Array[];
  /** Every shard block the root blocks list, with its full shard id. */
  readonly minorBlocks: ReadonlyArray<readonly [number, Uint8Array]>;
  /** Each shard's tip header, encoded, ascending full shard id. */
  readonly shardTips: readonly Uint8Array[];
  readonly algo: LocalNet['cfg']['root']['algo'];
}

export async function chainDump(src: LocalNet): Promise<ChainDump> {
  const rootBlocks: Uint8Array[] = [];
  const minorBlocks: Array<[number, Uint8Array]> = [];
  for (let h = 0; h <= src.root.tip.height; h++) {
    const rb = src.root.index.canonicalAt(h)!.block;
    rootBlocks.push(encodeRootBlock(rb));
    for (const mh of rb.minorHeaders) minorBlocks.push([mh.branch, encodeMinorBlock((await src.chain(mh.branch).getBlock(minorHeaderHash(mh)))!)]);
  }
  return { networkId: src.cfg.networkId, rootBlocks, minorBlocks, shardTips: src.ids.map((id) => encodeMinorHeader(src.chain(id).tip.header)), algo: src.cfg.root.algo };
}

/** A dump decoded once into what a server answers from. */
interface Served {
  readonly dump: ChainDump;
  readonly view: RootChainView;
  readonly minors: Map<string, MinorBlock>;
  readonly shardTips: MinorHeader[];
}

function load(dump: ChainDump): Served {
  const entries = dump.rootBlocks.map((b, height) => ({ block: decodeRootBlock(b), height }));
  const byHash = new Map(entries.map((e) => [keyOf(rootHeaderHash(e.block.header)), e]));
  const view: RootChainView = {
    tip: entries[entries.length - 1]!,
    get: (h) => byHash.get(keyOf(h)),
    canonicalAt: (h) => entries[h],
    isCanonical: () => true,
  };
  const minors = new Map(dump.minorBlocks.map(([, b]) => {
    const block = decodeMinorBlock(b);
    return [keyOf(minorBlockHash(block)), block] as const;
  }));
  return { dump, view, minors, shardTips: dump.shardTips.map(decodeMinorHeader) };
}

/**
 * A peer serving a chain over a real Network; `served` counts the block requests it answered (a
 * root-blocks answer with a bundle also counts one per shard it carries blocks of: the shard-block
 * requests it saves), `rootHeaderRequests` the header requests, `announced` the announcements it got, by type.
 */
export interface ChainServer {
  readonly net: Network;
  readonly nodeId: Uint8Array;
  readonly url: string;
  served: number;
  /** GET_ROOT_HEADERS requests it was sent. */
  rootHeaderRequests: number;
  /** GET_SHARD_HEADERS requests it was sent (a shard sync started on it: it never answers them). */
  shardHeaderRequests: number;
  readonly announced: Map<string, number>;
}

const never = new Promise<ResponseBody>(() => undefined);

/** A copy of `rb` whose nonce no longer meets its difficulty (so its hash is not the one asked for, either). */
function breakSeal(algo: ChainDump['algo'], rb: RootBlock): RootBlock {
  const h = rb.header;
  for (let nonce = h.nonce + 1n; ; nonce++) {
    const c = { ...h, nonce };
    try {
      checkSeal(algo, { sealHash: rootSealHash(c), nonce, mixhash: c.mixhash, difficulty: c.difficulty, height: c.height });
    } catch {
      return { ...rb, header: c };
    }
  }
}

function answer(c: Served, m: ServedRequest, s: ChainServer, o: ServerOptions): Promise<ResponseBody> {
  const rootTip = c.view.tip.block.header;
  const blockRequest = m.type === 'GET_ROOT_BLOCKS' || m.type === 'GET_SHARD_BLOCKS';
  if (blockRequest && o.misbehave === 'stall' && s.served >= (o.stallAfter ?? 0)) return never;
  if (blockRequest) s.served++;
  switch (m.type) {
    case 'GET_ROOT_HEADERS':
      s.rootHeaderRequests++;
      return Promise.resolve({ type: 'ROOT_HEADERS', rootTip, headers: serveRootHeaders(c.view, m as HeaderQuery) });
    case 'GET_ROOT_BLOCKS': {
      const served = serveRootBlocks(c.view, m.hashes);
      const blocks = o.misbehave === 'badSeal' ? served.map((b, i) => (i === 0 ? breakSeal(c.dump.algo, b) : b)) : served;
      if (m.shardBytes === undefined) return Promise.resolve({ type: 'ROOT_BLOCKS', blocks });
      const shardBlocks = bundleShardBlocks(blocks, m.shardBytes, (h) => {
        const block = c.minors.get(keyOf(h));
        return block && { block, bytes: encodeMinorBlock(block).length };
      });
      // The shard-block requests this answer saves count as served too: a staller stops after the same share of the sync as without bundles.
      s.served += new Set(shardBlocks.flat().map((b) => b.header.branch)).size;
      return Promise.resolve({ type: 'ROOT_BLOCKS', blocks, shardBlocks });
    }
    case 'GET_SHARD_BLOCKS':
      return Promise.resolve({ type: 'SHARD_BLOCKS', shardId: m.shardId, blocks: m.hashes.flatMap((h) => c.minors.get(keyOf(h)) ?? []) });
    case 'GET_SHARD_HEADERS':
      s.shardHeaderRequests++;
      return never; // root sync does not ask; shard sync of a fresh node waits for the root chain
  }
}

/** Starts a server for `dump` on 127.0.0.1 (a free port). */
export async function serveChain(dump: ChainDump | Served, o: ServerOptions = {}): Promise<ChainServer> {
  const c = 'view' in dump ? dump : load(dump);
  const nodeId = randomBytes(32);
  const s = { served: 0, rootHeaderRequests: 0, shardHeaderRequests: 0, announced: new Map<string, number>() } as ChainServer;
  const handler: NetworkHandler = {
    onAnnounce: (_p, m) => { s.announced.set(m.type, (s.announced.get(m.type) ?? 0) + 1); },
    onRequest: (_p, m) => answer(c, m, s, o),
  };
  const net = await Network.listen({
    node: {
      networkId: c.dump.networkId, genesisRootHash: rootHeaderHash(c.view.canonicalAt(0)!.block.header), params: consensusParams(chainConfig()), nodeId,
      tips: () => ({ rootTip: c.view.tip.block.header, shardTips: c.shardTips }),
    },
    handler, port: 0, ...(o.timings ? { timings: o.timings } : {}),
  });
  Object.assign(s, { net, nodeId, url: `ws://127.0.0.1:${net.port}` });
  return s;
}

/** Several servers over one decoded dump. */
export async function serveChains(dump: ChainDump, opts: readonly ServerOptions[]): Promise<ChainServer[]> {
  const c = load(dump);
  const out: ChainServer[] = [];
  for (const o of opts) out.push(await serveChain(c, o));
  return out;
}

/** `src`'s chain as an in-process SyncSource, answering at once (the benchmark's local baseline). */
export class LocalSource implements SyncSource {
  readonly id = 'local';
  readonly reportsTransportFaults = false;

  constructor(private readonly src: LocalNet) {}

  getRootHeaders(q: HeaderQuery): Promise<RootHeadersReply> {
    return Promise.resolve({ rootTip: this.src.root.tip.block.header, headers: serveRootHeaders(this.src.root.index, q) });
  }

  getRootBlocks(hashes: readonly Bytes[]): Promise<readonly RootBlock[]> {
    return Promise.resolve(serveRootBlocks(this.src.root.index, hashes));
  }

  async getMinorBlocks(shard: number, hashes: readonly Bytes[]): Promise<readonly MinorBlock[]> {
    const out: MinorBlock[] = [];
    for (const h of hashes) {
      const b = await this.src.chain(shard).getBlock(h);
      if (b) out.push(b);
    }
    return out;
  }

  getShardHeaders(): Promise<ShardHeadersReply> {
    return Promise.reject(new Error('not used by root sync'));
  }
}
