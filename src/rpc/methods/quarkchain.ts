/**
 * QuarkChain's helpers a wallet or its tools call first (its published JSON-RPC): `getAccountData`
 * (params by position `[address, blockHeight?, includeShards?]` or by name `{address,
 * block_height, include_shards}`, as its `stats -a` sends them), `gasPrice`, `estimateGas` and
 * `getFullShardIdByFullShardKey`. shardminer has no contracts: `isContract` is always false.
 */
import { parseBranch } from '../../core/branch.js';
import { toQuantity } from '../../core/bytes.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../../consensus/gas.js';
import type { CallContext } from '../context.js';
import { shardIdOfKey } from '../context.js';
import { balancesJson } from '../encode.js';
import { invalidParams } from '../errors.js';
import type { Json } from '../json.js';
import { address, arity, asArray, bool, height, u32 } from '../params.js';
import { requireShard } from './chain.js';

/** Named params (an object) as a positional list in `names` order; positional params as they are. */
function positional(params: unknown, names: readonly (readonly string[])[]): readonly unknown[] {
  if (params !== null && typeof params === 'object' && !Array.isArray(params)) {
    const o = params as Record<string, unknown>;
    const known = new Set(names.flat());
    for (const k of Object.keys(o)) if (!known.has(k)) throw invalidParams(`unknown parameter '${k}'`);
    return names.map((alts) => alts.map((n) => o[n]).find((v) => v !== undefined));
  }
  return asArray(params);
}

const branchJson = (id: number): Record<string, Json> => ({
  fullShardId: toQuantity(id), shardId: toQuantity(parseBranch(id).shardId), chainId: toQuantity(id >>> 16),
});

export async function getAccountData(params: unknown, ctx: CallContext): Promise<Json> {
  const p = positional(params, [['address'], ['block_height', 'blockHeight'], ['include_shards', 'includeShards']]);
  arity(p.filter((v, i) => v !== undefined || i === 0), 1, 3);
  const a = address(p[0]);
  const at = height(p[1] ?? null, 'blockHeight');
  const all = bool(p[2], 'include_shards', false);
  // As QuarkChain: a height together with every shard is not answered.
  if (all && at !== null) return null;
  const c = ctx.node.coordinator;
  const primaryId = requireShard(ctx.node, a.fullShardKey);
  const shardJson = async (id: number, h: number | null): Promise<Record<string, Json> | null> => {
    const info = await c.shard(id).account(a.recipient, h);
    return info && { ...branchJson(id), balances: balancesJson(info.balance), transactionCount: toQuantity(info.nonce), isContract: false };
  };
  if (!all) return { primary: await shardJson(primaryId, at) };
  const shards = (await Promise.all(c.shardIds.map((id) => shardJson(id, null)))).filter((s): s is Record<string, Json> => s !== null);
  return { primary: shards.find((s) => s.fullShardId === toQuantity(primaryId)) ?? null, shards };
}

/** `[fullShardKey, tokenId?]`: the price to offer; shardminer's pools order by price above the configured minimum. */
export async function gasPrice(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 2);
  requireShard(ctx.node, u32(p[0], 'fullShardKey'));
  return toQuantity(ctx.node.coordinator.config.minGasPrice);
}

/** `[{from?, to, …}]`: 21,000 within a shard, 30,000 across shards (the minimum a cross-shard transfer needs). */
export async function estimateGas(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 2);
  const tx = p[0];
  if (tx === null || typeof tx !== 'object' || Array.isArray(tx)) throw invalidParams('expected a transaction object {to, from?, …}');
  const o = tx as Record<string, unknown>;
  const to = address(o.to, 'to');
  const from = o.from === undefined ? to : address(o.from, 'from');
  const cross = shardIdOfKey(ctx.node, from.fullShardKey) !== shardIdOfKey(ctx.node, to.fullShardKey);
  return toQuantity(cross ? GAS_XSHARD_MIN : GAS_TRANSFER);
}

/** `[fullShardKey]`: the full shard id the key maps to on this network. */
export async function getFullShardIdByFullShardKey(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 1);
  return toQuantity(requireShard(ctx.node, u32(p[0], 'fullShardKey')));
}
