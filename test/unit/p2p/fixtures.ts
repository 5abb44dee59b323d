/**
 * Realistic P2P contents for the message tests: a real chain mined in one thread (LocalNet:
 * shard blocks with signed in-shard and cross-shard transfers, root blocks listing real minor
 * headers), and one message of every type built from it. Built once per test file.
 */
import { defaultKeyOf } from '../../../src/core/branch.js';
import { keyOf, type Bytes } from '../../../src/core/bytes.js';
import type { MinorBlock, MinorHeader } from '../../../src/core/minorBlock.js';
import { encodeTx } from '../../../src/core/transaction.js';
import { encodeMinorBlock, minorBlockHash } from '../../../src/core/minorBlock.js';
import { SERVE_BUNDLE_BYTES } from '../../../src/p2p/limits.js';
import { bundleShardBlocks } from '../../../src/p2p/sync/serveRootHeaders.js';
import { rootBlockHash, type RootBlock, type RootHeader } from '../../../src/core/rootBlock.js';
import { rootGenesis } from '../../../src/consensus/genesis.js';
import { consensusParams, type ConsensusParam } from '../../../src/consensus/consensusParams.js';
import { PROTOCOL_VERSION, type Message, type MessageType } from '../../../src/p2p/messages.js';
import { LocalNet, testConfig } from '../../utils/localNet.js';
import { seq } from '../core/codecFixtures.js';

/** The shard the shard messages are about (chain 0 of 4 shards: ids 4..7). */
export const S4 = 0x4;
export const S5 = 0x5;

export interface ChainSample {
  readonly networkId: number;
  readonly genesisRootHash: Bytes;
  /** The sample configuration's consensus parameters (HELLO's `params`). */
  readonly params: readonly ConsensusParam[];
  readonly rootGenesis: RootHeader;
  /** Root blocks 1 and 2, each listing real minor headers. */
  readonly rootBlocks: readonly RootBlock[];
  /** Shard S4's blocks 1..3; blocks 2 and 3 carry transfers (3 has a cross-shard one). */
  readonly shardBlocks: readonly MinorBlock[];
  /** Each shard's tip header, in ascending full shard id. */
  readonly shardTips: readonly MinorHeader[];
}

async function build(): Promise<ChainSample> {
  const net = await LocalNet.open(testConfig());
  try {
    const s4: MinorBlock[] = [];
    for (const id of net.ids) {
      const b = (await net.mineShard(id)).block;
      if (id === S4) s4.push(b);
    }
    const r1 = await net.mineRoot();
    const c = net.chain(S4);
    const local = { recipient: net.devs[3]!.recipient, fullShardKey: defaultKeyOf(S4) };
    await c.addTx(net.sign(1, S4, local, 5n, 0));
    await c.addTx(net.sign(2, S4, local, 7n, 0));
    s4.push((await net.mineShard(S4)).block);
    const remote = { recipient: net.devs[4]!.recipient, fullShardKey: defaultKeyOf(S5) };
    await c.addTx(net.sign(1, S4, remote, 11n, 1));
    s4.push((await net.mineShard(S4)).block);
    await net.mineShard(S5);
    const r2 = await net.mineRoot();
    const shardTips: MinorHeader[] = [];
    for (const id of net.ids) shardTips.push(net.chain(id).tip.header);
    const genesis = rootGenesis(net.cfg);
    return {
      networkId: net.cfg.networkId, genesisRootHash: rootBlockHash(genesis), params: consensusParams(net.cfg), rootGenesis: genesis.header,
      rootBlocks: [r1, r2], shardBlocks: s4, shardTips,
    };
  } finally {
    await net.close();
  }
}

let cached: Promise<ChainSample> | undefined;

/** The sample chain (mined on first use). */
export function chainSample(): Promise<ChainSample> {
  cached ??= build();
  return cached;
}

/** One message of every type, with contents taken from the sample chain. */
export function sampleMessages(c: ChainSample): Record<MessageType, Message> {
  const rootTip = c.rootBlocks[1]!.header;
  const shardTip = c.shardBlocks[2]!.header;
  const rootHeaders = [c.rootGenesis, ...c.rootBlocks.map((b) => b.header)];
  return {
    HELLO: {
      type: 'HELLO', protocolVersion: PROTOCOL_VERSION, networkId: c.networkId, genesisRootHash: c.genesisRootHash, params: c.params,
      nodeId: seq(32, 0xa0), listenPort: 38291, rootTip, shardTips: c.shardTips,
    },
    DISCONNECT: { type: 'DISCONNECT', reason: 'BAD_BLOCK', text: 'BAD_SEAL: seal of block 0x1234 does not meet difficulty ≥ 16 (ünïcode ok)' },
    NEW_ROOT_TIP: { type: 'NEW_ROOT_TIP', rootTip },
    NEW_SHARD_TIP: { type: 'NEW_SHARD_TIP', shardId: S4, rootTip, shardTip },
    NEW_SHARD_BLOCK: { type: 'NEW_SHARD_BLOCK', shardId: S4, block: c.shardBlocks[1]! },
    NEW_TRANSACTIONS: { type: 'NEW_TRANSACTIONS', shardId: S4, txs: [...c.shardBlocks[1]!.txs, ...c.shardBlocks[2]!.txs].map(encodeTx) },
    GET_ROOT_HEADERS: {
      type: 'GET_ROOT_HEADERS', requestId: 7, origin: { kind: 'hash', hash: rootBlockHash(c.rootBlocks[0]!) },
      limit: 500, skip: 2, direction: 'toGenesis',
    },
    ROOT_HEADERS: { type: 'ROOT_HEADERS', requestId: 7, rootTip, headers: rootHeaders },
    GET_ROOT_BLOCKS: { type: 'GET_ROOT_BLOCKS', requestId: 0xfffffffe, hashes: c.rootBlocks.map(rootBlockHash) },
    ROOT_BLOCKS: { type: 'ROOT_BLOCKS', requestId: 0xfffffffe, blocks: c.rootBlocks },
    GET_SHARD_HEADERS: {
      type: 'GET_SHARD_HEADERS', requestId: 1, shardId: S4, origin: { kind: 'height', height: 2 ** 40 + 1 },
      limit: 100, skip: 0, direction: 'toTip',
    },
    SHARD_HEADERS: { type: 'SHARD_HEADERS', requestId: 1, shardId: S4, rootTip, shardTip, headers: c.shardBlocks.map((b) => b.header) },
    GET_SHARD_BLOCKS: { type: 'GET_SHARD_BLOCKS', requestId: 0x01020304, shardId: S4, hashes: c.shardBlocks.map(minorBlockHash) },
    SHARD_BLOCKS: { type: 'SHARD_BLOCKS', requestId: 0x01020304, shardId: S4, blocks: c.shardBlocks },
    PING: { type: 'PING', requestId: 42 },
    PONG: { type: 'PONG', requestId: 42 },
  };
}

/**
 * GET_ROOT_BLOCKS asking for a bundle, and ROOT_BLOCKS carrying one (p2p/rootBundle.ts): the
 * sample root blocks with the prefix of their listed blocks the sample has (shard S4's), as a
 * server bundles them.
 */
export function sampleBundleMessages(c: ChainSample): { readonly request: Message; readonly response: Message } {
  const byHash = new Map(c.shardBlocks.map((b) => [keyOf(minorBlockHash(b)), b]));
  const shardBlocks = bundleShardBlocks(c.rootBlocks, SERVE_BUNDLE_BYTES, (h) => {
    const block = byHash.get(keyOf(h));
    return block && { block, bytes: encodeMinorBlock(block).length };
  });
  return {
    request: { type: 'GET_ROOT_BLOCKS', requestId: 9, hashes: c.rootBlocks.map(rootBlockHash), shardBytes: SERVE_BUNDLE_BYTES },
    response: { type: 'ROOT_BLOCKS', requestId: 9, blocks: c.rootBlocks, shardBlocks },
  };
}
