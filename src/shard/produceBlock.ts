/** Candidate building: the best pool transactions on a parent, with the deposits its root reference brings. */
import { keyOf, type Bytes } from '../core/bytes.js';
import type { Address } from '../core/address.js';
import { defaultKeyOf } from '../core/branch.js';
import { consensusOf } from '../core/config.js';
import { ChainError, isKeepInPool, notYet } from '../core/errors.js';
import { metaHash, minorSealHash, txMerkleRoot, type MinorBlock, type MinorHeader } from '../core/minorBlock.js';
import { nextDifficulty } from '../consensus/difficulty.js';
import { buildBlock, type RunContext, type RunResult } from '../consensus/runBlock.js';
import type { ChainParts } from './chainParts.js';
import { lruSet } from '../core/lru.js';
import { runContext } from './runContext.js';

/** Candidates kept so a block this node built is not re-executed after sealing. */
const BUILT_CACHE_SIZE = 4;

/**
 * Builds a candidate (unsealed: nonce 0, zero mixhash) on the tip referencing the root tip,
 * or on `on.parent` referencing `on.root` (forks, tests, sync).
 */
export async function produceBlock(
  p: ChainParts, nowSec: number, coinbase?: Address, on: { parent?: Bytes; root?: Bytes } = {},
): Promise<MinorBlock> {
  const parent = on.parent ? p.tree.get(on.parent) : p.tree.tip;
  if (!parent) throw notYet('BLOCK_PARENT_UNKNOWN', 'unknown parent for a candidate');
  const cb = coinbase ?? { recipient: new Uint8Array(20), fullShardKey: defaultKeyOf(p.shardId) };
  const createTime = Math.max(nowSec, parent.header.createTime + 1);
  const state = await p.states.of(parent);
  let rmax = on.root ? p.roots.get(on.root) : p.roots.tip;
  if (!rmax) throw notYet('BLOCK_ROOT_UNKNOWN', 'unknown root block for a candidate');
  let ctx = await runContext(p, parent, rmax, cb);
  p.pool.expireQueued(nowSec, (s) => state.get(s).nonce);
  const candidates = p.pool.select({ getNonce: (s) => state.get(s).nonce, gasBudget: p.cfg.gasLimit, gasCost: (tx) => tx.gasLimit });
  const dropped: Bytes[] = [];
  const run = (c: RunContext): RunResult => buildBlock(state, parent.meta.cursor, candidates, c, (st, e) => {
    // A keep-in-pool failure says "not in this block" rather than "never": the transaction stays.
    if (e.cls === 'invalid' && !isKeepInPool(e.code)) dropped.push(st.hash);
  });
  let result: RunResult;
  try {
    result = run(ctx);
  } catch (e) {
    if (ChainError.from(e).code !== 'XSHARD_LIST_MISSING') throw e;
    // A list of the newest root block has not arrived yet: build on the parent's root reference.
    rmax = p.roots.get(parent.header.hashPrevRootBlock)!;
    ctx = await runContext(p, parent, rmax, cb);
    dropped.length = 0;
    result = run(ctx);
  }
  if (dropped.length) p.pool.removeIncluded(dropped, (s) => state.get(s).nonce);
  const txs = result.txs.map((t) => t.tx);
  const meta = {
    txMerkleRoot: txMerkleRoot(txs), stateRoot: result.trie.root(), gasUsed: result.gasUsed,
    xshardGasLimit: p.cfg.xshardGasLimit, xshardGasUsed: result.xshardGasUsed, cursor: result.cursor,
  };
  const header: MinorHeader = {
    version: 0, branch: p.shardId, height: parent.header.height + 1, coinbase: cb, coinbaseAmount: result.coinbaseAmount,
    hashPrevMinorBlock: parent.hash, hashPrevRootBlock: rmax.hash, gasLimit: p.cfg.gasLimit, hashMeta: metaHash(meta),
    createTime, difficulty: nextDifficulty(parent.header.difficulty, parent.header.createTime, createTime, consensusOf(p.cfg, p.shardId)),
    nonce: 0n, mixhash: new Uint8Array(32),
  };
  lruSet(p.built, keyOf(minorSealHash(header)), result, BUILT_CACHE_SIZE);
  return { header, meta, txs };
}
