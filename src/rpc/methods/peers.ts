/**
 * `getPeers` (QuarkChain's name and `{ peers: [{ id, ip, port }] }` shape), with shardminer's
 * additions per peer: the direction of the connection and the tips it last announced (root
 * height, hash and total difficulty; each shard's height). and its score (peerScore.ts: 100 is a peer that never misbehaved; at 0 it is dropped).
 */
import { toHex, toQuantity } from '../../core/bytes.js';
import type { CallContext } from '../context.js';
import type { Json } from '../json.js';
import { arity, asArray } from '../params.js';

export async function getPeers(params: unknown, ctx: CallContext): Promise<Json> {
  arity(asArray(params), 0, 0);
  const peers = ctx.node.coordinator.p2p.peerInfo().map((p): Json => {
    const colon = p.address.lastIndexOf(':');
    const root = p.tips.root;
    return {
      id: `0x${p.id}`, ip: p.address.slice(0, colon), port: toQuantity(Number(p.address.slice(colon + 1))), direction: p.direction,
      score: Math.round(p.score),
      rootTip: root ? { height: toQuantity(root.height), hash: toHex(root.hash), totalDifficulty: toQuantity(root.td) } : null,
      shardTips: p.tips.shards.map((s) => ({ fullShardId: toQuantity(s.shardId), height: toQuantity(s.height) })),
    };
  });
  return { peers };
}
