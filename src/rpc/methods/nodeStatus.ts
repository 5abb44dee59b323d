/**
 * `getNodeStatus()`: shardminer's whole-node status in one call, the message `subscribe('nodeStatus')`
 * pushes each second (every chain's height, last block age, block interval, hash rate, TPS, pool,
 * pending deposits; latest blocks; the cross-shard heatmap; peers) plus the recent history for
 * charts, oldest first. The dashboard draws its first picture from it.
 */
import type { CallContext } from '../context.js';
import { INTERNAL_ERROR, RpcError } from '../errors.js';
import type { Json } from '../json.js';
import { arity, asArray } from '../params.js';

export async function getNodeStatus(params: unknown, ctx: CallContext): Promise<Json> {
  arity(asArray(params), 0, 0);
  const feed = ctx.node.feed;
  if (!feed) throw new RpcError(INTERNAL_ERROR, 'this node keeps no status feed');
  return (await feed.snapshot()) as unknown as Json;
}
