/** Account queries: `getBalances` and `getTransactionCount` (the shard of the address's key). */
import { parseBranch } from '../../core/branch.js';
import { toQuantity } from '../../core/bytes.js';
import type { CallContext } from '../context.js';
import { balancesJson } from '../encode.js';
import type { Json } from '../json.js';
import { address, arity, asArray, height } from '../params.js';
import { requireShard } from './chain.js';

/** `pendingNonce`: `pending` reads the tip plus the sender's pooled transactions (getTransactionCount only). */
async function accountOf(params: unknown, ctx: CallContext, pendingNonce = false) {
  const p = asArray(params);
  arity(p, 1, 2);
  const a = address(p[0]);
  const shardId = requireShard(ctx.node, a.fullShardKey);
  const at = pendingNonce && p[1] === 'pending' ? 'pending' : height(p[1], 'blockHeight');
  const info = await ctx.node.coordinator.shard(shardId).account(a.recipient, at);
  return { info, shardId };
}

/** QuarkChain's shape: `{branch, fullShardId, shardId, chainId, balances: [{tokenId, tokenStr, balance}]}`. */
export async function getBalances(params: unknown, ctx: CallContext): Promise<Json> {
  const { info, shardId } = await accountOf(params, ctx);
  if (!info) return null;
  return {
    branch: toQuantity(shardId), fullShardId: toQuantity(shardId), shardId: toQuantity(parseBranch(shardId).shardId),
    chainId: toQuantity(shardId >>> 16), balances: balancesJson(info.balance),
  };
}

/** `[address, height?]`; height `pending` counts the sender's consecutive transactions in the pool too (the nonce to sign next). */
export async function getTransactionCount(params: unknown, ctx: CallContext): Promise<Json> {
  const { info } = await accountOf(params, ctx, true);
  return info ? toQuantity(info.nonce) : null;
}
