/**
 * The in-memory parts of one shard chain, shared by the functions that import, produce, choose
 * and prune blocks (one file each). ShardChain owns one and is its only public face.
 */
import { keyToFullShardId } from '../core/branch.js';
import { allShardIds, shardSizeOf, type Config } from '../core/config.js';
import { minorHeaderHash } from '../core/minorBlock.js';
import type { AccountTrie } from '../consensus/accountTrie.js';
import { minorGenesis, rootGenesis } from '../consensus/genesis.js';
import { RootIndex } from '../consensus/rootIndex.js';
import type { RunResult } from '../consensus/runBlock.js';
import type { TxRulesContext } from '../consensus/txRules.js';
import type { KV } from '../store/kv.js';
import { BlockHistory } from './blockHistory.js';
import { BlockTree } from './blockTree.js';
import { SenderCache } from './senderCache.js';
import { ShardStore } from './shardStore.js';
import { StateCache } from './stateCache.js';
import { TxPool } from './txPool.js';
import { XshardLists } from './xshardLists.js';

export interface ChainParts {
  readonly cfg: Config;
  readonly shardId: number;
  readonly store: ShardStore;
  readonly tree: BlockTree;
  readonly roots: RootIndex;
  readonly states: StateCache;
  readonly lists: XshardLists;
  readonly senders: SenderCache;
  readonly pool: TxPool;
  /** Candidates this node built, by seal hash, so a block is not re-executed after sealing. */
  readonly built: Map<string, RunResult>;
  readonly genesisState: AccountTrie;
  readonly keyToShard: (key: number) => number;
  /** Every other shard's full id. */
  readonly others: readonly number[];
  /** Bodies and lists kept for this many blocks behind the confirmed tip (undefined: keep everything). */
  readonly retainBlocks: number | undefined;
  /** The canonical blocks that left the tree below the pruning anchor. */
  readonly history: BlockHistory;
  /** Highest canonical height whose body and state diff are pruned. */
  prunedHeight: number;
  /**
   * Pool admission's rules context, built once (shared rules: consensus/txRules.ts). Cross-shard
   * is "enabled": before the root chain passes genesis, block building keeps such a transfer in
   * the pool (TX_XSHARD_NOT_READY means "not in this block"), so admission takes it too.
   */
  readonly admission: TxRulesContext;
}

export function createParts(cfg: Config, shardId: number, kv: KV, retainBlocks: number | undefined): ChainParts {
  const g = minorGenesis(cfg, shardId);
  const genesisMinor = new Map(allShardIds(cfg).map((id) => [id, minorHeaderHash(minorGenesis(cfg, id).block.header)] as const));
  const sizes = shardSizeOf(cfg);
  const keyToShard = (k: number): number => keyToFullShardId(k, sizes);
  const store = new ShardStore(kv);
  return {
    cfg, shardId, store, retainBlocks, keyToShard,
    tree: new BlockTree(g.block.header, g.block.meta),
    roots: new RootIndex(rootGenesis(cfg), genesisMinor),
    states: new StateCache(store, retainBlocks),
    lists: new XshardLists(store),
    senders: new SenderCache(),
    pool: new TxPool({ maxSize: cfg.txPoolSize }),
    built: new Map(),
    genesisState: g.state,
    others: allShardIds(cfg).filter((id) => id !== shardId),
    history: new BlockHistory(),
    prunedHeight: 0,
    admission: {
      networkId: cfg.networkId, shardId, xshardGasLimit: cfg.xshardGasLimit, minGasPrice: cfg.minGasPrice, keyToShard, xshardEnabled: true,
    },
  };
}
