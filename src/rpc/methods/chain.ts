/**
 * Network and block queries: `networkInfo`, `getRootBlockByHeight/ById`,
 * `getMinorBlockByHeight/ById`, and shardminer's `getMiningConfig` (the sealing algorithm of
 * each chain, which QuarkChain's external miner reads from its cluster config file instead).
 */
import { toQuantity } from '../../core/bytes.js';
import { consensusOf } from '../../core/config.js';
import { decodeMinorBlock } from '../../core/minorBlock.js';
import type { CallContext, RpcNode } from '../context.js';
import { shardIdOfKey } from '../context.js';
import { minorBlockJson, rootBlockJson } from '../encode.js';
import { invalidParams } from '../errors.js';
import type { Json } from '../json.js';
import { arity, asArray, bool, data, HASH_LEN, height, id36, u32 } from '../params.js';

/** The full shard id of `key`'s shard; invalid params (−32602) when this node runs none. */
export function requireShard(node: RpcNode, key: number): number {
  const id = shardIdOfKey(node, key);
  if (id === null) throw invalidParams(`no shard for full shard key 0x${key.toString(16)}`);
  return id;
}

export async function networkInfo(params: unknown, ctx: CallContext): Promise<Json> {
  arity(asArray(params), 0, 0);
  const c = ctx.node.coordinator;
  const cfg = c.config;
  return {
    networkId: toQuantity(cfg.networkId), chainSize: toQuantity(cfg.chains.length),
    shardSizes: cfg.chains.map((ch) => toQuantity(ch.shardSize)), syncing: c.p2p.syncing(),
    mining: c.isMining() || ctx.node.remote, shardServerCount: c.shardIds.length,
  };
}

export async function getMiningConfig(params: unknown, ctx: CallContext): Promise<Json> {
  arity(asArray(params), 0, 0);
  const c = ctx.node.coordinator;
  const cfg = c.config;
  return {
    remote: ctx.node.remote,
    root: { algo: cfg.root.algo, targetBlockTime: cfg.root.targetBlockTime },
    shards: c.shardIds.map((id) => ({ fullShardId: toQuantity(id), algo: consensusOf(cfg, id).algo, targetBlockTime: consensusOf(cfg, id).targetBlockTime })),
  };
}

export async function getRootBlockByHeight(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 0, 2);
  const h = height(p[0]);
  bool(p[1], 'needExtraInfo', false);
  const c = ctx.node.coordinator;
  const e = h === null ? c.rootTip() : c.rootBlockByHeight(h);
  return e && !e.pruned ? rootBlockJson(e.block) : null;
}

export async function getRootBlockById(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 2);
  const hash = data(p[0], 'id', HASH_LEN);
  bool(p[1], 'needExtraInfo', false);
  const e = ctx.node.coordinator.rootBlockByHash(hash);
  return e && !e.pruned ? rootBlockJson(e.block) : null;
}

export async function getMinorBlockByHeight(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 3);
  const id = requireShard(ctx.node, u32(p[0], 'fullShardKey'));
  const h = height(p[1]);
  const withTx = bool(p[2], 'includeTransactions', false);
  const r = await ctx.node.coordinator.shard(id).minorBlock({ ...(h === null ? {} : { height: h }), withSenders: withTx });
  return r ? minorBlockJson(decodeMinorBlock(r.block), r.senders) : null;
}

export async function getMinorBlockById(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 3);
  const id = id36(p[0]);
  const shardId = requireShard(ctx.node, id.key);
  const withTx = bool(p[1], 'includeTransactions', false);
  bool(p[2], 'needExtraInfo', false);
  const r = await ctx.node.coordinator.shard(shardId).minorBlock({ hash: id.hash, withSenders: withTx });
  return r ? minorBlockJson(decodeMinorBlock(r.block), r.senders) : null;
}
