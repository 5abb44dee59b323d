/**
 * Read-only queries a shard answers for the JSON-RPC server (issue 5): accounts at a height,
 * blocks by hash or height, transactions and their deposits, and QuarkChain's shard stats.
 * They run in the shard's thread between other tasks and never mutate the chain.
 */
import { addressToBytes } from '../core/address.js';
import type { Bytes } from '../core/bytes.js';
import { encodeMinorBlock, type MinorBlock } from '../core/minorBlock.js';
import { encodeTx } from '../core/transaction.js';
import type { AccountHeight, AccountInfo, BlockQuery, BlockReply, ShardStats, TxLookup } from './protocol.js';
import type { BlockNode } from './blockTree.js';
import type { HistoryEntry } from './blockHistory.js';
import type { ShardChain } from './shardChain.js';

/** QuarkChain counts transactions and blocks over this much block time back from the tip. */
export const STATS_WINDOW_SEC = 60;

export async function accountAt(chain: ShardChain, recipient: Bytes, height: AccountHeight): Promise<AccountInfo | null> {
  const n = height === null || height === 'pending' ? chain.tip : chain.canonicalAt(height);
  if (!n) return null;
  const a = await chain.account(recipient, n);
  return { balance: a.balance, nonce: height === 'pending' ? chain.pool.pendingNonce(recipient, a.nonce) : a.nonce };
}

/** The stored block of a node; the genesis block is not stored as a block (it has no transactions). */
async function blockOf(chain: ShardChain, n: BlockNode): Promise<MinorBlock | undefined> {
  if (n.header.height === 0) return { header: n.header, meta: n.meta, txs: [] };
  return chain.getBlock(n.hash);
}

export async function findBlock(chain: ShardChain, q: BlockQuery): Promise<BlockReply | null> {
  const n = q.hash ? chain.block(q.hash) : q.height === undefined ? chain.tip : chain.canonicalAt(q.height);
  if (!n) return null;
  const block = await blockOf(chain, n);
  if (!block) return null;
  return {
    block: encodeMinorBlock(block),
    canonical: chain.canonicalAt(n.header.height) === n,
    senders: q.withSenders ? block.txs.map((tx) => chain.txSender(tx)) : null,
  };
}

export async function lookupTx(chain: ShardChain, hash: Bytes): Promise<TxLookup> {
  let tx: TxLookup['tx'] = null;
  const at = await chain.txLocation(hash);
  const n = at ? chain.block(at.blockHash) : undefined;
  const block = n ? await chain.getBlock(n.hash) : undefined;
  const t = at && block ? block.txs[at.index] : undefined;
  if (at && n && t) {
    tx = {
      bytes: encodeTx(t), sender: chain.txSender(t),
      block: { hash: n.hash, height: n.header.height, createTime: n.header.createTime, index: at.index, xshardGasUsed: n.meta.xshardGasUsed },
    };
  } else {
    const p = chain.pool.get(hash);
    if (p) tx = { bytes: encodeTx(p.tx), sender: p.sender, block: null };
  }
  const dep = await chain.depositLocation(hash);
  const dn = dep ? chain.block(dep.blockHash) : undefined;
  const deposit = dn ? { blockHash: dn.hash, height: dn.header.height, createTime: dn.header.createTime } : null;
  return { tx, deposit };
}

/** QuarkChain's `get_shard_stats`: canonical blocks within 60 s of block time back from the tip. */
export function shardStats(chain: ShardChain): ShardStats {
  const tip = chain.tip;
  const cutoff = tip.header.createTime - STATS_WINDOW_SEC;
  let txCount = 0;
  let blocks = 0;
  let stale = 0;
  let newer: HistoryEntry | undefined;
  for (const b of chain.canonicalBackwards()) {
    if (newer) {
      txCount += newer.txsCum - b.txsCum;
      blocks++;
      stale += Math.max(chain.blockCountAt(newer.height) - 1, 0);
    }
    if (b.createTime <= cutoff) break;
    newer = b;
  }
  return {
    height: tip.header.height, difficulty: tip.header.difficulty, coinbase: addressToBytes(tip.header.coinbase),
    timestamp: tip.header.createTime, txCount60s: txCount, blockCount60s: blocks, staleBlockCount60s: stale,
    pendingTxCount: chain.pool.size, queuedTxCount: chain.pool.counts.queued, totalTxCount: tip.stats.txs,
    lastBlockTime: tip.parent ? tip.header.createTime - tip.parent.header.createTime : 0,
  };
}
