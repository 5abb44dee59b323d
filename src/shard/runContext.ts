/**
 * The context a block runs in (consensus/runBlock.ts): the rules of its shard, and the deposit
 * lists a cursor walk up to its root reference may need, loaded before the synchronous run.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import type { Address } from '../core/address.js';
import type { Deposit } from '../core/deposit.js';
import type { MinorHeader } from '../core/minorBlock.js';
import { GENESIS_ROOT_HEIGHT, type DepositContext } from '../consensus/applyDeposits.js';
import type { RootEntry } from '../consensus/rootIndex.js';
import type { RunContext } from '../consensus/runBlock.js';
import type { BlockNode } from './blockTree.js';
import type { ChainParts } from './chainParts.js';

/** A block of another shard whose root reference is past genesis: it sent this shard a list. */
export function eligibleSource(p: ChainParts, h: MinorHeader): boolean {
  const r = p.roots.get(h.hashPrevRootBlock);
  return h.branch !== p.shardId && r !== undefined && r.height > GENESIS_ROOT_HEIGHT;
}

/** Loads the lists that a walk from `fromHeight` to root block `rmax` may need. */
async function preloadLists(p: ChainParts, fromHeight: number, rmax: RootEntry): Promise<Map<string, readonly Deposit[]>> {
  const out = new Map<string, readonly Deposit[]>();
  for (let h = fromHeight; h <= rmax.height; h++) {
    const r = p.roots.ancestorAt(rmax, h)!;
    for (let i = 0; i < r.info.minorHeaders.length; i++) {
      if (!eligibleSource(p, r.info.minorHeaders[i]!)) continue;
      const list = await p.lists.load(r.info.minorHashes[i]!);
      if (list) out.set(keyOf(r.info.minorHashes[i]!), list);
    }
  }
  return out;
}

export async function runContext(p: ChainParts, parent: BlockNode, rmax: RootEntry, coinbase: Address): Promise<RunContext> {
  const lists = await preloadLists(p, parent.meta.cursor.rootHeight, rmax);
  const { cfg } = p;
  let lastHash: Bytes | null = null;
  let lastList: readonly Deposit[] | undefined;
  const deposits: DepositContext = {
    shardId: p.shardId,
    xshardGasLimit: cfg.xshardGasLimit,
    keyToShard: p.keyToShard,
    rootAt: (h) => p.roots.ancestorAt(rmax, h)!.info,
    maxRootHeight: rmax.height,
    rootHeightOf: (hash) => p.roots.get(hash)?.height ?? -1,
    depositList: (hash) => {
      // Asked once or twice per deposit with the same hash object (the root block's): one key per list.
      if (hash !== lastHash) {
        lastHash = hash;
        lastList = lists.get(keyOf(hash));
      }
      return lastList;
    },
  };
  return {
    tx: {
      networkId: cfg.networkId, shardId: p.shardId, xshardGasLimit: cfg.xshardGasLimit,
      minGasPrice: cfg.minGasPrice, keyToShard: p.keyToShard, xshardEnabled: rmax.height > GENESIS_ROOT_HEIGHT,
    },
    deposits,
    gasLimit: cfg.gasLimit,
    xshardGasLimit: cfg.xshardGasLimit,
    coinbase,
    blockReward: cfg.shardCoinbaseAmount,
    tax: cfg.taxRate,
    otherShards: p.others,
  };
}
