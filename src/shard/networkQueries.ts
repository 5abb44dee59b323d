/**
 * What the P2P side asks of a shard (DESIGN §10), answered from its chain in its own thread:
 * the fast path's header check of an announced block (time, difficulty and seal against the
 * stored parent: the hashing stays off the coordinator thread), and canonical headers for a
 * peer's GET_SHARD_HEADERS.
 */
import { encodeMinorHeader, decodeMinorBlock, minorHeaderHash } from '../core/minorBlock.js';
import { consensusOf } from '../core/config.js';
import { notYet } from '../core/errors.js';
import { validateMinorHeader } from '../consensus/validateMinorHeader.js';
import type { Bytes } from '../core/bytes.js';
import type { ShardChain } from './shardChain.js';
import type { NewBlockCheck, ShardHeaderQuery, ShardHeadersReply } from './protocol.js';

/** An announced block: known already, or its header valid on its stored parent; a refusal throws (unknown parent or root block: notYet). */
export function checkNewBlock(chain: ShardChain, bytes: Bytes, nowSec: number): NewBlockCheck {
  const { header } = decodeMinorBlock(bytes);
  if (chain.block(minorHeaderHash(header))) return { known: true };
  const parent = chain.block(header.hashPrevMinorBlock);
  validateMinorHeader(header, parent?.header, {
    shardId: chain.shardId, gasLimit: chain.config.gasLimit, consensus: consensusOf(chain.config, chain.shardId), nowSec, skipSeal: false,
  });
  if (!chain.rootBlock(header.hashPrevRootBlock)) throw notYet('BLOCK_ROOT_UNKNOWN', `root block of block ${header.height} is unknown`);
  return { known: false };
}

/** Canonical headers from the origin, every `skip + 1` heights toward the tip or genesis, at most `q.limit`; [] for an unknown or non-canonical origin. */
export function shardHeaders(chain: ShardChain, q: ShardHeaderQuery): ShardHeadersReply {
  const tip = chain.tip;
  let from: number | undefined;
  if (q.height !== undefined) from = q.height;
  else if (q.hash) {
    const n = chain.block(q.hash);
    if (n && chain.canonicalAt(n.header.height) === n) from = n.header.height;
  }
  const headers: Bytes[] = [];
  const step = (q.skip + 1) * (q.toTip ? 1 : -1);
  for (let h = from ?? -1; from !== undefined && headers.length < q.limit && h >= 0 && h <= tip.header.height; h += step) {
    const n = chain.canonicalAt(h);
    if (!n) break; // below a pruned floor
    headers.push(encodeMinorHeader(n.header));
  }
  return { tip: encodeMinorHeader(tip.header), headers };
}
