/** Root block import into a shard: its own copy of the root chain, then the tips move (chain_rules §2.4). */
import { minorHeaderHash } from '../core/minorBlock.js';
import { notYet } from '../core/errors.js';
import { rootHeaderHash, type RootBlock } from '../core/rootBlock.js';
import type { BatchOp } from '../store/kv.js';
import type { ChainParts } from './chainParts.js';
import { onRootTipChange } from './forkChoice.js';
import { eligibleSource } from './runContext.js';
import { ShardStore } from './shardStore.js';

export interface RootImport {
  readonly known: boolean;
  readonly newRootTip: boolean;
  readonly tipChanged: boolean;
}

/** Stores a root block (the coordinator validated it): notYet until this shard holds what it confirms. */
export async function importRootBlock(p: ChainParts, rb: RootBlock): Promise<RootImport> {
  const hash = rootHeaderHash(rb.header);
  if (p.roots.has(hash)) return { known: true, newRootTip: false, tipChanged: false };
  if (!p.roots.has(rb.header.hashPrevBlock)) throw notYet('ROOT_PARENT_UNKNOWN', `parent of root block ${rb.header.height} is unknown`);
  for (const h of rb.minorHeaders) {
    const hh = minorHeaderHash(h);
    if (h.branch === p.shardId) {
      if (!p.tree.get(hh)) throw notYet('ROOT_MISSING_OWN_BLOCK', `root block ${rb.header.height} confirms a block of this shard we do not have`);
    } else if (eligibleSource(p, h) && !(await p.lists.load(hh))) {
      throw notYet('XSHARD_LIST_MISSING', `root block ${rb.header.height} confirms a block whose deposit list has not arrived`);
    }
  }
  const { newTip } = p.roots.add(rb);
  if (p.retainBlocks !== undefined) {
    p.lists.confirmedAt(rb.header.height, rb.minorHeaders.filter((h) => eligibleSource(p, h)).map(minorHeaderHash));
  }
  const ops: BatchOp[] = [ShardStore.putRoot(hash, rb)];
  if (newTip) ops.push(ShardStore.putMeta('rootTip', hash));
  await p.store.batch(ops);
  if (!newTip) return { known: false, newRootTip: false, tipChanged: false };
  return { known: false, newRootTip: true, tipChanged: await onRootTipChange(p) };
}
