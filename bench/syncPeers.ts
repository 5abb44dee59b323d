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
import { checkSeal } from '../src/consensus/seal.js';
import type { MinorBlock } from '../src/core/minorBlock.js';
import { rootSealHash, type RootBlock } from '../src/core/rootBlock.js';
import type { HeaderQuery } from '../src/p2p/messageTypes.js';
import { Network, type NetworkHandler } from '../src/p2p/network.js';
import type { PeerTimings, ResponseBody, ServedRequest } from '../src/p2p/peer.js';
import { serveRootBlocks, serveRootHeaders } from '../src/p2p/sync/serveRootHeaders.js';
import type { RootHeadersReply, ShardHeadersReply, SyncSource } from '../src/p2p/sync/syncSource.js';
import { LocalNet, testConfig } from '../test/utils/localNet.js';

/** Root difficulty: ~1 nonce in 1000 seals, so a changed nonce almost surely breaks the seal, and building stays fast. */
export const CHAIN_ROOT_DIFFICULTY = 1000n;
export const CHAIN_SHARDS = 2;
/** The dev account that sends the transfers (funded on every shard at genesis), and the one receiving them. */
const SENDER = 1;
const RECEIVER = 2;
const GWEI = 1_000_000_000n;

export const chainConfig = (): ReturnType<typeof testConfig> => testConfig({ shards: CHAIN_SHARDS, rootDifficulty: CHAIN_ROOT_DIFFICULTY });

/** `rounds` root blocks, each confirming one block per shard holding an in-shard and a cross-shard transfer. */
export async function buildChain(rounds: number): Promise<LocalNet> {
  const net = await LocalNet.open(chainConfig());
  const nonces = new Map<number, number>();
  const to = (shard: number): Address => ({ recipient: net.devs[RECEIVER]!.recipient, fullShardKey: defaultKeyOf(shard) });
  for (let r = 0; r < rounds; r++) {
    for (const id of net.ids) {
      const other = net.ids.find((s) => s !== id)!;
      for (const dest of [id, other]) {
        const n = nonces.get(id) ?? 0;
        await net.chain(id).addTx(net.sign(SENDER, id, to(dest), GWEI, n));
        nonces.set(id, n + 1);
      }
      await net.mineShard(id);
    }
    await net.mineRoot();
  }
  return net;
}

export type Misbehaviour = 'none' | 'stall' | 'badSeal';

export interface ServerOptions {
  readonly misbehave?: Misbehaviour;
  /** A staller answers this many block requests, then none. */
  readonly stallAfter?: number;
  readonly timings?: Partial<PeerTimings>;
}

/** A peer serving `net`'s chain over a real Network; `served` counts the block requests it answered. */
export interface ChainServer {
  readonly net: Network;
  readonly nodeId: Uint8Array;
  readonly url: string;
  served: number;
}

const never = new Promise<ResponseBody>(() => undefined);

/** A copy of `rb` whose nonce no longer meets its difficulty (so its hash is not the one asked for, either). */
function breakSeal(src: LocalNet, rb: RootBlock): RootBlock {
  const h = rb.header;
  for (let nonce = h.nonce + 1n; ; nonce++) {
    const c = { ...h, nonce };
    try {
      checkSeal(src.cfg.root.algo, { sealHash: rootSealHash(c), nonce, mixhash: c.mixhash, difficulty: c.difficulty, height: c.height });
    } catch {
      return { ...rb, header: c };
    }
  }
}

async function answer(src: LocalNet, m: ServedRequest, s: ChainServer, o: ServerOptions): Promise<ResponseBody> {
  const rootTip = src.root.tip.block.header;
  const blockRequest = m.type === 'GET_ROOT_BLOCKS' || m.type === 'GET_SHARD_BLOCKS';
  if (blockRequest && o.misbehave === 'stall' && s.served >= (o.stallAfter ?? 0)) return never;
  if (blockRequest) s.served++;
  switch (m.type) {
    case 'GET_ROOT_HEADERS':
      return { type: 'ROOT_HEADERS', rootTip, headers: serveRootHeaders(src.root.index, m as HeaderQuery) };
    case 'GET_ROOT_BLOCKS': {
      const blocks = serveRootBlocks(src.root.index, m.hashes);
      return { type: 'ROOT_BLOCKS', blocks: o.misbehave === 'badSeal' ? blocks.map((b, i) => (i === 0 ? breakSeal(src, b) : b)) : blocks };
    }
    case 'GET_SHARD_BLOCKS': {
      const blocks: MinorBlock[] = [];
      for (const h of m.hashes) {
        const b = await src.chain(m.shardId).getBlock(h);
        if (b) blocks.push(b);
      }
      return { type: 'SHARD_BLOCKS', shardId: m.shardId, blocks };
    }
    case 'GET_SHARD_HEADERS':
      return never; // root sync does not ask; shard sync of a fresh node waits for the root chain
  }
}

/** Starts a server for `src` on 127.0.0.1 (a free port). */
export async function serveChain(src: LocalNet, o: ServerOptions = {}): Promise<ChainServer> {
  const nodeId = randomBytes(32);
  const s = { served: 0 } as ChainServer;
  const handler: NetworkHandler = { onAnnounce: () => undefined, onRequest: (_p, m) => answer(src, m, s, o) };
  const net = await Network.listen({
    node: {
      networkId: src.cfg.networkId, genesisRootHash: src.root.index.genesis.hash, nodeId,
      tips: () => ({ rootTip: src.root.tip.block.header, shardTips: src.ids.map((id) => src.chain(id).tip.header) }),
    },
    handler, port: 0, ...(o.timings ? { timings: o.timings } : {}),
  });
  Object.assign(s, { net, nodeId, url: `ws://127.0.0.1:${net.port}` });
  return s;
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
